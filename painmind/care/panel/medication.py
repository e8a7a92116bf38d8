"""The panel's medication-risk column: the patient's open `medication` alerts (raised by
`painmind.meds.safety` from the rules in clinical-reference §2.5), read by the panel's one
alert query, shown as short rule names, gravest first."""

from __future__ import annotations

from typing import Final

from painmind.care.panel.rows import PanelRow
from painmind.safety.models import Severity

# Short column labels for the reference's rule ids (§2.5); an id not listed shows as itself.
RULE_LABELS: Final[dict[str, str]] = {
    "R5b_maoi_contraindicated": "tramadol + MAOI",
    "R1_opioid_plus_benzo": "opioid + benzodiazepine",
    "R2_opioid_plus_gabapentinoid": "opioid + gabapentinoid",
    "R4b_mme_90": "MME ≥ 90",
    "R3_opioid_plus_other_cns": "opioid + other CNS depressant",
    "R4_mme_50": "MME ≥ 50",
    "R5_serotonin": "serotonergic combination",
}
_ORDER: Final[dict[str, int]] = {rule: i for i, rule in enumerate(RULE_LABELS)}


def add_medication_risk(row: PanelRow, rule_id: str, severity: str) -> None:
    row.med_risks.append(rule_id)
    row.med_risks.sort(key=lambda r: _ORDER.get(r, len(_ORDER)))
    row.med_critical = row.med_critical or severity == Severity.CRITICAL


def medication_cell(row: PanelRow) -> str:
    if not row.med_risks:
        return '<td data-label="Medication risk"><span class="muted">none</span></td>'
    css = "critical" if row.med_critical else "warning"
    labels = ", ".join(RULE_LABELS.get(r, r) for r in row.med_risks)
    return f'<td data-label="Medication risk" class="med-risk"><span class="sev-count {css}">{labels}</span></td>'
