"""Research use: the patient's opt-in (`actions`), who may export (`access`), the de-identified
tables (`tables`) and the files they are written to (`files`). Policy in docs/exchange.md."""
