"""Short names for the medication-safety rules (clinical-reference §2.5 ids) where a person reads
them: the panel's medication-risk column and the titles of medication alerts. The wording is a
project rule (docs/meds.md); the rules themselves live in data/rules.json."""

from __future__ import annotations

from typing import Final

# Gravest first: the panel lists a patient's rules in this order. An id not listed shows as itself.
RULE_LABELS: Final[dict[str, str]] = {
    "R5b_maoi_contraindicated": "tramadol + MAOI",
    "R1_opioid_plus_benzo": "opioid + benzodiazepine",
    "R2_opioid_plus_gabapentinoid": "opioid + gabapentinoid",
    "R4b_mme_90": "MME ≥ 90",
    "R3_opioid_plus_other_cns": "opioid + other CNS depressant",
    "R4_mme_50": "MME ≥ 50",
    "R5_serotonin": "serotonergic combination",
}


def rule_label(rule_id: str) -> str:
    """The rule's short name, or its id when it has none."""
    return RULE_LABELS.get(rule_id, rule_id)


def rule_title(rule_id: str, drugs: tuple[str, ...] | list[str]) -> str:
    """An alert title: the short name first, the reference's id in brackets (so the rule can be
    looked up in docs/meds.md), then the medicines. "Opioid + benzodiazepine (R1_opioid_plus_benzo):
    diazepam, oxycodone"."""
    label = RULE_LABELS.get(rule_id)
    head = f"{label[0].upper()}{label[1:]} ({rule_id})" if label else rule_id
    return f"{head}: {', '.join(drugs)}" if drugs else head
