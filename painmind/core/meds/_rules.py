"""Applying the rules of the data file (clinical-reference §2.5) to the checked items."""

from __future__ import annotations

from collections.abc import Iterable

from painmind.core.meds._model import OPIOID_ANY, Rule
from painmind.core.meds._result import Entry, Hit, Row

__all__ = ["BUPRENORPHINE", "apply_rule", "is_opioid", "unique"]

BUPRENORPHINE = "buprenorphine"


def apply_rule(
    rule: Rule, entries: list[Entry], rows: tuple[Row, ...], mme: float, missing: tuple[str, ...]
) -> Hit | None:
    current = [i for i, e in enumerate(entries) if e.status == "current"]
    if rule.kind == "pair":
        return _pair(rule, entries, current)
    if rule.kind == "mme_at_least":
        if rule.threshold is None or mme < rule.threshold:
            return None
        drugs = unique(rows[i].generic or rows[i].drug for i in current if rows[i].mme)
        return _hit(rule, drugs, unverified=False)
    if rule.kind == "buprenorphine":
        drugs = unique(BUPRENORPHINE for i in current if rows[i].generic == BUPRENORPHINE)
        return _hit(rule, drugs, unverified=False) if drugs else None
    if rule.kind == "unknown_factor":
        if not missing:
            return None
        shaky = all(not is_opioid(entries[i].verified) for i in current if rows[i].generic in missing)
        return _hit(rule, missing, unverified=shaky)
    return None


def _pair(rule: Rule, entries: list[Entry], current: list[int]) -> Hit | None:
    window = rule.window_days
    second_pool = [
        i
        for i, e in enumerate(entries)
        if e.status == "current" or (window is not None and e.days_stopped is not None and e.days_stopped <= window)
    ]
    first_all = [i for i in current if _matches(entries[i], entries[i].classes, rule.first)]
    second_all = [i for i in second_pool if _matches(entries[i], entries[i].classes, rule.second)]
    if not _distinct_pair(first_all, second_all):
        return None
    first_ok = [i for i in first_all if _matches(entries[i], entries[i].verified, rule.first)]
    second_ok = [i for i in second_all if _matches(entries[i], entries[i].verified, rule.second)]
    involved = sorted(set(first_all) | set(second_all))
    drugs = unique(_name(entries[i]) for i in involved)
    return _hit(rule, drugs, unverified=not _distinct_pair(first_ok, second_ok))


def _name(e: Entry) -> str:
    return e.med.generic if e.med is not None else e.item.drug


def _matches(e: Entry, classes: frozenset[str], specs: tuple[str, ...]) -> bool:
    for spec in specs:
        if spec == OPIOID_ANY and is_opioid(classes):
            return True
        if spec.startswith("=") and e.med is not None and e.med.generic == spec[1:]:
            return True
        if spec in classes:
            return True
    return False


def _distinct_pair(first: list[int], second: list[int]) -> bool:
    return any(a != b for a in first for b in second)


def _hit(rule: Rule, drugs: tuple[str, ...], *, unverified: bool) -> Hit:
    shaky = rule.unverified or unverified
    return Hit(
        rule_id=rule.id,
        severity=rule.severity,
        basis=rule.basis,
        action=rule.action,
        drugs=drugs,
        unverified=shaky,
        note=rule.unverified_note if rule.unverified else None,
    )


def is_opioid(classes: frozenset[str]) -> bool:
    return any(c.startswith("opioid_") for c in classes)


def unique(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
    return tuple(out)
