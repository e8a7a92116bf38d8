"""Self-management tools, pure: one module per tool (clinical-reference §9).

- `thought_records`: the 7- and 5-column record's structure, Burns' distortions, the
  catastrophizing facets, validation and the history summaries (§9.1).
- `pacing`: quota pacing plans, week holding and baselines from logged sessions (§9.2).
- `boom_bust`: "boom and bust" days in a diary (§9.2; the thresholds are project rules).
- `hard_day`: whether a check-in is hard *for this person*, to offer a thought record.
- `activation`, `activation_links`: behavioural activation, and which activities went with
  better next days (through `core.cycle`'s "what helps me" and judge).
- `tools`, `tie_sources`, `usage`: tool keys, the care plan's ties and how much a tool was used.

Nothing here raises an alert (§9: none of it is a clinical threshold). The project rules are
named constants in each module and written down in docs/selfcare.md.
"""
