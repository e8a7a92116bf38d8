"""Medication safety for PainMind: the medicine catalogue, MME/day and rules R1–R7, FHIR mapping.

Pure Python (no Django). Every clinical fact lives in ``data/rules.json`` with its section of
the clinical reference (§2.1–2.5) and its source key; docs/meds.md explains every rule and
every project rule. PainMind never advises a dose: rules are review prompts for the care team.

Modules (import from them; the package re-exports nothing, so ``painmind.core.meds.check``
stays the module):

- :mod:`painmind.core.meds.catalogue` — ``lookup()``, ``catalogue_names()``, ``RULES_VERSION``.
- :mod:`painmind.core.meds.check` — ``Item``, ``parse_items()``, ``check()``, ``to_json()``.
- :mod:`painmind.core.meds.fhir` — ``medication_statement()`` (FHIR R4 MedicationStatement).

Examples
--------
>>> from datetime import date
>>> from painmind.core.meds.check import check, parse_items
>>> items = parse_items([
...     {"drug": "hydrocodone", "dose": 5, "unit": "mg", "times_per_day": 4},
...     {"drug": "meperidine", "dose": 50, "unit": "mg", "every_hours": 6},
... ])
>>> check(items, date(2026, 12, 6)).mme_text
'at least 20 MME/day'
"""
