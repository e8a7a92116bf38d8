"""Read ``data/rules.json`` (or a site's copy) into the catalogue's dataclasses, checking every field.

Bad data fails loudly at load time with the file and the key in the message, so a typo in a
class list cannot silently drop a safety rule.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from typing import Literal, cast

from painmind.core.meds._model import Catalogue, DualUse, Medicine, Rule
from painmind.core.meds._normalise import name_key

JsonObject = dict[str, object]
SEVERITIES = ("contraindicated", "high", "moderate-high", "moderate", "info")
RULE_KINDS = ("pair", "mme_at_least", "buprenorphine", "unknown_factor")
FactorUnit = Literal["mg/day", "mcg/hr"]


def read_json(path: Path | None) -> tuple[JsonObject, str]:
    """Return the parsed rules file and a name for it in error messages."""
    if path is None:
        text = resources.files("painmind.core.meds").joinpath("data").joinpath("rules.json").read_text("utf-8")
        where = "painmind/core/meds/data/rules.json"
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"{where}: cannot read ({exc})") from exc
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: not JSON ({exc})") from exc
    return obj(parsed, where), where


def obj(value: object, where: str) -> JsonObject:
    """Return ``value`` as a JSON object or raise ValueError naming ``where``."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError(f"{where}: expected a JSON object")
    return cast("JsonObject", value)


def string(o: JsonObject, key: str, where: str) -> str:
    """Return the non-empty string at ``key``."""
    value = o.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}: '{key}' must be a non-empty string")
    return value


def opt_string(o: JsonObject, key: str, where: str) -> str | None:
    """Return the string at ``key``, or None when absent or null."""
    return None if o.get(key) is None else string(o, key, where)


def strings(o: JsonObject, key: str, where: str) -> tuple[str, ...]:
    """Return the list of strings at ``key`` (empty when absent)."""
    value = o.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def number(o: JsonObject, key: str, where: str) -> float:
    """Return the finite positive number at ``key``."""
    value = o.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{where}: '{key}' must be a positive number")
    return float(value)


def flag(o: JsonObject, key: str, where: str) -> bool:
    """Return the boolean at ``key`` (false when absent)."""
    value = o.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{where}: '{key}' must be true or false")
    return value


def entries(o: JsonObject, where: str) -> list[tuple[str, JsonObject]]:
    """Return the object-valued entries of ``o``, skipping ``_about``-style comments."""
    return [(k, obj(v, f"{where}: {k}")) for k, v in o.items() if not k.startswith("_")]


def build(data: JsonObject, where: str) -> Catalogue:
    """Turn the parsed rules file into a :class:`Catalogue`."""
    version = string(data, "version", where)
    factors: dict[str, tuple[float, FactorUnit]] = {}
    for name, entry in entries(obj(data.get("factors"), f"{where}: factors"), f"{where}: factors"):
        unit = string(entry, "unit", f"{where}: factors: {name}")
        if unit not in ("mg/day", "mcg/hr"):
            raise ValueError(f"{where}: factors: {name}: unit must be 'mg/day' or 'mcg/hr'")
        factors[name] = (number(entry, "factor", f"{where}: factors: {name}"), cast("FactorUnit", unit))

    verified: dict[str, set[str]] = {}
    unverified: dict[str, set[str]] = {}
    class_names: list[str] = []
    for cls, entry in entries(obj(data.get("classes"), f"{where}: classes"), f"{where}: classes"):
        class_names.append(cls)
        for member in strings(entry, "members", f"{where}: classes: {cls}"):
            verified.setdefault(member, set()).add(cls)
        for member in strings(entry, "unverified_members", f"{where}: classes: {cls}"):
            unverified.setdefault(member, set()).add(cls)

    dual = obj(data.get("dual_use"), f"{where}: dual_use")
    warning = string(dual, "suicidality_warning", f"{where}: dual_use")
    dual_use: dict[str, DualUse] = {}
    for name, entry in entries({k: v for k, v in dual.items() if k != "suicidality_warning"}, f"{where}: dual_use"):
        w = f"{where}: dual_use: {name}"
        dual_use[name] = DualUse(
            drug_class=string(entry, "drug_class", w),
            labelled_indications=strings(entry, "labelled_indications", w),
            off_label_pain_uses=strings(entry, "off_label_pain_uses", w),
            note=string(entry, "note", w),
            suicidality_warning=warning,
            source=string(entry, "source", w),
            unverified=flag(entry, "unverified", w),
        )

    notes_obj = obj(data.get("notes"), f"{where}: notes")
    notes = {k: strings(notes_obj, k, f"{where}: notes") for k in notes_obj if not k.startswith("_")}

    generics = sorted(set(verified) | set(unverified) | set(factors))
    for name in (*factors, *dual_use, *notes):
        if name not in generics:
            raise ValueError(f"{where}: '{name}' has a factor, note or dual-use entry but is in no class")
    medicines: dict[str, Medicine] = {}
    for name in generics:
        known = factors.get(name)
        shaky = frozenset(unverified.get(name, set()) - verified.get(name, set()))
        medicines[name] = Medicine(
            generic=name,
            classes=frozenset(verified.get(name, set()) | unverified.get(name, set())),
            factor=known[0] if known else None,
            factor_unit=known[1] if known else None,
            dual_use=dual_use.get(name),
            notes=notes.get(name, ()),
            unverified=bool(shaky),
            unverified_classes=shaky,
        )

    aliases: dict[str, str] = {name_key(name): name for name in generics}
    for alias, entry in entries(obj(data.get("aliases"), f"{where}: aliases"), f"{where}: aliases"):
        target = string(entry, "generic", f"{where}: aliases: {alias}")
        if target not in medicines:
            raise ValueError(f"{where}: aliases: {alias}: unknown generic {target!r}")
        aliases[name_key(alias)] = target

    rules_raw = data.get("rules")
    if not isinstance(rules_raw, list):
        raise ValueError(f"{where}: 'rules' must be a list")
    rules = tuple(
        _rule(obj(r, f"{where}: rules[{i}]"), f"{where}: rules[{i}]", class_names, medicines)
        for i, r in enumerate(rules_raw)
    )
    return Catalogue(version=version, medicines=medicines, aliases=aliases, rules=rules)


def _rule(entry: JsonObject, where: str, class_names: list[str], medicines: dict[str, Medicine]) -> Rule:
    rule_id = string(entry, "id", where)
    kind = string(entry, "kind", where)
    if kind not in RULE_KINDS:
        raise ValueError(f"{where}: kind must be one of {', '.join(RULE_KINDS)}")
    severity = string(entry, "severity", where)
    if severity not in SEVERITIES:
        raise ValueError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    first, second = strings(entry, "first", where), strings(entry, "second", where)
    for spec in (*first, *second):
        ok = spec == "opioid_*" or spec in class_names or (spec.startswith("=") and spec[1:] in medicines)
        if not ok:
            raise ValueError(f"{where}: {rule_id}: unknown class or drug {spec!r}")
    if kind == "pair" and not (first and second):
        raise ValueError(f"{where}: {rule_id}: a pair rule needs 'first' and 'second'")
    window = entry.get("window_days")
    if window is not None and (isinstance(window, bool) or not isinstance(window, int) or window < 0):
        raise ValueError(f"{where}: {rule_id}: window_days must be a whole number >= 0")
    return Rule(
        id=rule_id,
        kind=kind,
        severity=severity,
        basis=string(entry, "basis", where),
        action=opt_string(entry, "action", where),
        unverified=flag(entry, "unverified", where),
        unverified_note=opt_string(entry, "unverified_note", where),
        first=first,
        second=second,
        threshold=number(entry, "threshold", where) if kind == "mme_at_least" else None,
        window_days=window,
    )
