"""The panel's medication-risk column: the patient's open `medication` alerts (raised by
`painmind.meds.safety` from the rules in clinical-reference §2.5), read by the panel's one
alert query, shown as short rule names, gravest first."""

from __future__ import annotations

from typing import Final

from painmind.care.panel.rows import PanelRow
from painmind.core.meds.labels import RULE_LABELS, rule_label
from painmind.safety.models import Severity

_ORDER: Final[dict[str, int]] = {rule: i for i, rule in enumerate(RULE_LABELS)}


def add_medication_risk(row: PanelRow, rule_id: str, severity: str) -> None:
    row.med_risks.append(rule_id)
    row.med_risks.sort(key=lambda r: _ORDER.get(r, len(_ORDER)))
    row.med_critical = row.med_critical or severity == Severity.CRITICAL


def medication_cell(row: PanelRow) -> str:
    if not row.med_risks:
        return '<td data-label="Medication risk"><span class="muted">none</span></td>'
    css = "critical" if row.med_critical else "warning"
    labels = ", ".join(rule_label(r) for r in row.med_risks)
    return f'<td data-label="Medication risk" class="med-risk"><span class="sev-count {css}">{labels}</span></td>'
