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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from painmind.core.meds._items import TO_MG, Item, MedsInputError, parse_items, validate_item
from painmind.core.meds._model import OPIOID_ANY, Catalogue, Medicine, Rule
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

# Most severe first; R5b "contraindicated" sorts with criticals (issue 12). "info" is the project's
# severity for R6/R7, which the reference gives none (docs/meds.md).
SEVERITY_RANK: dict[str, int] = {"contraindicated": 4, "high": 3, "moderate-high": 2, "moderate": 1, "info": 0}
BUPRENORPHINE = "buprenorphine"
BUPRENORPHINE_REASON = "not convertible — buprenorphine (partial agonist)"  # §2.1 computation rules
NO_FACTOR_REASON = "no conversion factor in the CDC 2022 table: MME unknown (never 0)"  # §2.1
UNKNOWN_REASON = "unknown medicine — not checked"
# Rounding MME to 6 decimals keeps sums like 0.15 × 60 on the right side of a threshold.
_DECIMALS = 6
# As-needed use is averaged over the 7 days up to the check date (the dose-log window).
LOG_WINDOW_DAYS = 7
Status = Literal["current", "stopped", "not_started"]


@dataclass(frozen=True)
class Row:
    """One item's line in the result.

    ``daily_dose`` is in ``unit``: ``"mg/day"`` (as-needed items at their prescribed maximum), or
    ``"mcg/hr"`` for patches. ``mme`` is None with a ``reason`` when the item does not count
    (stopped, not started, not an opioid, no factor, buprenorphine, unknown medicine).
    ``mme_logged`` is the MME/day at the logged as-needed use (scheduled items: as prescribed).
    """

    drug: str
    generic: str | None
    classes: tuple[str, ...]
    daily_dose: float
    unit: str
    factor: float | None
    mme: float | None
    reason: str | None
    status: Status = "current"
    as_needed: bool = False
    mme_logged: float | None = None
    unverified: bool = False


@dataclass(frozen=True)
class Hit:
    """A rule that fires: its id exactly as in clinical-reference §2.5, severity, basis and drugs.

    ``unverified`` is True when the rule or a class membership it relies on is marked ⚠ in the
    reference; ``note`` then says what is unverified (when the rule itself is).
    """

    rule_id: str
    severity: str
    basis: str | None
    action: str | None
    drugs: tuple[str, ...]
    unverified: bool
    note: str | None = None


@dataclass(frozen=True)
class Check:
    """The result of :func:`check`.

    ``mme_per_day`` sums current opioids with a factor (as-needed ones at their maximum);
    ``mme_complete`` is False when a current opioid has no factor (listed in ``missing_factor``):
    the total is then a lower bound ("at least N", see :attr:`mme_text`). ``mme_logged_per_day``
    counts as-needed opioids at the use the dose log shows (None when an as-needed opioid has no
    log count). ``not_checked`` lists names the catalogue does not know.
    """

    mme_per_day: float
    mme_complete: bool
    missing_factor: tuple[str, ...]
    mme_logged_per_day: float | None
    rows: tuple[Row, ...]
    rules: tuple[Hit, ...]
    on: date | None = None
    rules_version: str = ""
    not_checked: tuple[str, ...] = ()

    @property
    def mme_text(self) -> str:
        """``"30 MME/day"``, or ``"at least 30 MME/day"`` when a factor is missing."""
        text = f"{self.mme_per_day:g} MME/day"
        return text if self.mme_complete else f"at least {text}"


@dataclass(frozen=True)
class _Entry:
    item: Item
    med: Medicine | None
    classes: frozenset[str]
    verified: frozenset[str]
    status: Status
    days_stopped: int | None


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
    opioids = [(e, r) for e, r in current if _is_opioid(e.classes)]
    mme_total = round(sum(r.mme or 0.0 for _, r in opioids), _DECIMALS)
    missing = _unique(r.generic or r.drug for e, r in opioids if r.factor is None and r.generic != BUPRENORPHINE)
    if any(r.factor is not None and r.mme_logged is None for _, r in opioids):
        logged: float | None = None
    else:
        logged = round(sum(r.mme_logged or 0.0 for _, r in opioids), _DECIMALS)
    hits: list[Hit] = []
    for rule in cat.rules:
        if rule.unverified and not include_unverified:
            continue
        hit = _apply(rule, entries, rows, mme_total, missing)
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
        not_checked=_unique(e.item.drug for e in entries if e.med is None),
    )


def _entry(item: Item, cat: Catalogue, on: date, include_unverified: bool) -> _Entry:
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
    return _Entry(item, med, classes if include_unverified else verified, verified, status, days)


def _doses_per_day(item: Item) -> float:
    if item.times_per_day is not None:
        return item.times_per_day
    by_interval = 24.0 / item.every_hours if item.every_hours is not None else None
    if item.max_per_day is not None:
        return min(item.max_per_day, by_interval) if by_interval is not None else item.max_per_day
    assert by_interval is not None  # validate_item guarantees a schedule
    return by_interval


def _row(e: _Entry, on: date) -> Row:
    it, med = e.item, e.med
    if it.unit == "mcg/hr":
        daily, unit = it.dose, "mcg/hr"
    else:
        daily, unit = it.dose * TO_MG[it.unit] * _doses_per_day(it), "mg/day"
    factor = med.factor if med and _is_opioid(e.classes) else None
    mme = logged = None
    reason: str | None = None
    if med is None:
        reason = UNKNOWN_REASON
    elif e.status == "stopped":
        reason = f"stopped on {it.stopped_on} — not counted"
    elif e.status == "not_started":
        reason = f"starts on {it.started_on} — not counted"
    elif not _is_opioid(e.classes):
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


def _apply(
    rule: Rule, entries: list[_Entry], rows: tuple[Row, ...], mme: float, missing: tuple[str, ...]
) -> Hit | None:
    current = [i for i, e in enumerate(entries) if e.status == "current"]
    if rule.kind == "pair":
        return _pair(rule, entries, current)
    if rule.kind == "mme_at_least":
        if rule.threshold is None or mme < rule.threshold:
            return None
        drugs = _unique(rows[i].generic or rows[i].drug for i in current if rows[i].mme)
        return _hit(rule, drugs, unverified=False)
    if rule.kind == "buprenorphine":
        drugs = _unique(BUPRENORPHINE for i in current if rows[i].generic == BUPRENORPHINE)
        return _hit(rule, drugs, unverified=False) if drugs else None
    if rule.kind == "unknown_factor":
        if not missing:
            return None
        shaky = all(not _is_opioid(entries[i].verified) for i in current if rows[i].generic in missing)
        return _hit(rule, missing, unverified=shaky)
    return None


def _pair(rule: Rule, entries: list[_Entry], current: list[int]) -> Hit | None:
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
    drugs = _unique(_name(entries[i]) for i in involved)
    return _hit(rule, drugs, unverified=not _distinct_pair(first_ok, second_ok))


def _name(e: _Entry) -> str:
    return e.med.generic if e.med is not None else e.item.drug


def _matches(e: _Entry, classes: frozenset[str], specs: tuple[str, ...]) -> bool:
    for spec in specs:
        if spec == OPIOID_ANY and _is_opioid(classes):
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


def _is_opioid(classes: frozenset[str]) -> bool:
    return any(c.startswith("opioid_") for c in classes)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
    return tuple(out)


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
