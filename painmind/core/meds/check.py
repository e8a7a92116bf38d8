"""Check a medicine list: MME/day (CDC 2022) and the safety rules R1–R7 (clinical-reference §2).

The rules are data (``data/rules.json``); this module applies them. Nothing here advises a
dose: R4/R4b are review prompts, never blocks (§2.2), and every hit quotes its basis.

Examples
--------
>>> from datetime import date
>>> items = parse_items([
...     {"drug": "oxycodone ER", "dose": 10, "unit": "mg", "times_per_day": 2},
...     {"drug": "Xanax", "dose": 0.5, "unit": "mg", "times_per_day": 1},
... ])
>>> result = check(items, date(2026, 12, 6))
>>> result.mme_per_day, result.mme_complete
(30.0, True)
>>> [(h.rule_id, h.severity, h.drugs) for h in result.rules]
[('R1_opioid_plus_benzo', 'high', ('oxycodone', 'alprazolam'))]
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from painmind.core.meds._items import TO_MG, Item, MedsInputError, parse_items, validate_item
from painmind.core.meds._model import Catalogue
from painmind.core.meds._result import SEVERITY_RANK, Check, Entry, Hit, Row, Status
from painmind.core.meds._rules import BUPRENORPHINE, apply_rule, is_opioid, unique
from painmind.core.meds.catalogue import default_catalogue

__all__ = [
    "SEVERITY_RANK",
    "Check",
    "Hit",
    "Item",
    "MedsInputError",
    "Row",
    "check",
    "parse_items",
    "to_json",
]

BUPRENORPHINE_REASON = "not convertible — buprenorphine (partial agonist)"  # §2.1 computation rules
NO_FACTOR_REASON = "no conversion factor in the CDC 2022 table: MME unknown (never 0)"  # §2.1
UNKNOWN_REASON = "unknown medicine — not checked"
# Rounding MME to 6 decimals keeps sums like 0.15 × 60 on the right side of a threshold.
_DECIMALS = 6
# As-needed use is averaged over the 7 days up to the check date (the dose-log window).
LOG_WINDOW_DAYS = 7


def check(
    items: Sequence[Item], on: date, *, catalogue: Catalogue | None = None, include_unverified: bool = True
) -> Check:
    """Compute MME/day and the rule hits for a medicine list on one day.

    Parameters
    ----------
    items
        The medicines (from :func:`parse_items` or built directly; each is validated again).
    on
        The day to check. A medicine counts when ``started_on <= on < stopped_on``. A stopped
        MAOI still counts for R5b while ``(on - stopped_on).days <= 14``: stopped 14 days before
        ``on`` counts, 15 days does not.
    catalogue
        A site's reviewed catalogue (:func:`~painmind.core.meds.catalogue.load_catalogue`).
    include_unverified
        True (default): class members and rules the reference marks ⚠ count, and their hits carry
        ``unverified=True``. False: they are ignored, as if absent from the reference.

    Returns
    -------
    Check

    Raises
    ------
    MedsInputError
        If an item is invalid (see :func:`parse_items`).
    """
    cat = catalogue or default_catalogue()
    entries = [_entry(validate_item(it, n, cat), cat, on, include_unverified) for n, it in enumerate(items, 1)]
    rows = tuple(_row(e, on) for e in entries)
    current = [(e, r) for e, r in zip(entries, rows, strict=True) if e.status == "current"]
    opioids = [(e, r) for e, r in current if is_opioid(e.classes)]
    mme_total = round(sum(r.mme or 0.0 for _, r in opioids), _DECIMALS)
    missing = unique(r.generic or r.drug for e, r in opioids if r.factor is None and r.generic != BUPRENORPHINE)
    if any(r.factor is not None and r.mme_logged is None for _, r in opioids):
        logged: float | None = None
    else:
        logged = round(sum(r.mme_logged or 0.0 for _, r in opioids), _DECIMALS)
    hits: list[Hit] = []
    for rule in cat.rules:
        if rule.unverified and not include_unverified:
            continue
        hit = apply_rule(rule, entries, rows, mme_total, missing)
        if hit is not None:
            hits.append(hit)
    order = {rule.id: i for i, rule in enumerate(cat.rules)}
    hits.sort(key=lambda h: (-SEVERITY_RANK[h.severity], order[h.rule_id]))
    return Check(
        mme_per_day=mme_total,
        mme_complete=not missing,
        missing_factor=missing,
        mme_logged_per_day=logged,
        rows=rows,
        rules=tuple(hits),
        on=on,
        rules_version=cat.version,
        not_checked=unique(e.item.drug for e in entries if e.med is None),
    )


def _entry(item: Item, cat: Catalogue, on: date, include_unverified: bool) -> Entry:
    med = cat.lookup(item.drug)
    if med is not None and med.generic == "fentanyl" and item.unit == "mcg/hr":
        # PROJECT RULE: only patches are dosed in mcg/hr, so "fentanyl" in mcg/hr is a patch.
        med = cat.medicines.get("fentanyl transdermal", med)
    classes = med.classes if med else frozenset()
    verified = classes - med.unverified_classes if med else frozenset()
    if item.started_on is not None and item.started_on > on:
        status: Status = "not_started"
    elif item.stopped_on is not None and item.stopped_on <= on:
        status = "stopped"
    else:
        status = "current"
    days = (on - item.stopped_on).days if status == "stopped" and item.stopped_on else None
    return Entry(item, med, classes if include_unverified else verified, verified, status, days)


def _doses_per_day(item: Item) -> float:
    if item.times_per_day is not None:
        return item.times_per_day
    by_interval = 24.0 / item.every_hours if item.every_hours is not None else None
    if item.max_per_day is not None:
        return min(item.max_per_day, by_interval) if by_interval is not None else item.max_per_day
    assert by_interval is not None  # validate_item guarantees a schedule
    return by_interval


def _row(e: Entry, on: date) -> Row:
    it, med = e.item, e.med
    if it.unit == "mcg/hr":
        daily, unit = it.dose, "mcg/hr"
    else:
        daily, unit = it.dose * TO_MG[it.unit] * _doses_per_day(it), "mg/day"
    factor = med.factor if med and is_opioid(e.classes) else None
    mme = logged = None
    reason: str | None = None
    if med is None:
        reason = UNKNOWN_REASON
    elif e.status == "stopped":
        reason = f"stopped on {it.stopped_on} — not counted"
    elif e.status == "not_started":
        reason = f"starts on {it.started_on} — not counted"
    elif not is_opioid(e.classes):
        reason = "not an opioid"
    elif med.generic == BUPRENORPHINE:
        reason, factor = BUPRENORPHINE_REASON, None
    elif factor is None:
        reason = NO_FACTOR_REASON
    else:
        mme = round(daily * factor, _DECIMALS)
        logged = mme if not it.as_needed else _logged_mme(it, factor, on)
    return Row(
        drug=it.drug,
        generic=med.generic if med else None,
        classes=tuple(sorted(e.classes)),
        daily_dose=round(daily, _DECIMALS),
        unit=unit,
        factor=factor,
        mme=mme,
        reason=reason,
        status=e.status,
        as_needed=it.as_needed,
        mme_logged=logged,
        unverified=bool(med and med.unverified),
    )


def _logged_mme(it: Item, factor: float, on: date) -> float | None:
    if it.taken_last_7_days is None:
        return None
    days = LOG_WINDOW_DAYS
    if it.started_on is not None:
        # PROJECT RULE: a medicine started inside the window is averaged over the days it existed.
        days = max(1, min(days, (on - it.started_on).days + 1))
    return round(it.taken_last_7_days / days * it.dose * TO_MG[it.unit] * factor, _DECIMALS)


def to_json(result: Check) -> dict[str, object]:
    """Return the result as a JSON-ready dict in a stable key order (the CLI's output).

    Keys: ``rules_version``, ``on``, ``mme_per_day``, ``mme_complete``, ``mme_text``,
    ``missing_factor``, ``mme_logged_per_day``, ``not_checked``, ``rows`` (one per item, in input
    order) and ``rules`` (most severe first, then in the reference's order).
    """
    return {
        "rules_version": result.rules_version,
        "on": result.on.isoformat() if result.on else None,
        "mme_per_day": result.mme_per_day,
        "mme_complete": result.mme_complete,
        "mme_text": result.mme_text,
        "missing_factor": list(result.missing_factor),
        "mme_logged_per_day": result.mme_logged_per_day,
        "not_checked": list(result.not_checked),
        "rows": [
            {
                "drug": r.drug,
                "generic": r.generic,
                "classes": list(r.classes),
                "status": r.status,
                "as_needed": r.as_needed,
                "daily_dose": r.daily_dose,
                "unit": r.unit,
                "factor": r.factor,
                "mme": r.mme,
                "mme_logged": r.mme_logged,
                "reason": r.reason,
                "unverified": r.unverified,
            }
            for r in result.rows
        ],
        "rules": [
            {
                "rule_id": h.rule_id,
                "severity": h.severity,
                "basis": h.basis,
                "action": h.action,
                "drugs": list(h.drugs),
                "unverified": h.unverified,
                "note": h.note,
            }
            for h in result.rules
        ],
    }
