"""Build :class:`Instrument` objects from the JSON in ``data/``.

Each instrument has a FHIR R4 Questionnaire (``data/<id>.json``: items, codes, wording,
copyright) and an entry in ``data/scoring.json`` (aggregation, range, bands, cut-offs, missing
items). The clinical content lives in those files, each value with its clinical-reference
section; this module only reads and checks them.
"""

from __future__ import annotations

import itertools
import json
import re
from functools import cache, lru_cache
from pathlib import Path

from painmind.core.instruments import _json as js
from painmind.core.instruments.licensed import apply_wording, read_wording
from painmind.core.instruments.model import (
    AnswerOption,
    Band,
    Comparison,
    CutOff,
    Instrument,
    Item,
    MissingRule,
    ScoringRules,
    SubscaleRule,
)

INSTRUMENT_IDS: tuple[str, ...] = ("phq9", "phq2", "gad7", "gad2", "phq4", "peg", "pcs", "pseq")
LICENSED_IDS: frozenset[str] = frozenset({"pcs", "pseq"})

LOINC = "http://loinc.org"
ORDINAL_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
SCORED_URL = "https://painmind.example.org/fhir/StructureDefinition/scored"
RECALL_URL = "https://painmind.example.org/fhir/StructureDefinition/recall-period"
MIN_URL = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_URL = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_CONTROL_URL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"

# Why each licensed instrument ships without wording (clinical-reference §1.6, §1.7, §6).
_UNAVAILABLE = {
    "pcs": "The PCS item wording is licensed by Mapi Research Trust on behalf of Dr. Michael Sullivan "
    "(clinical-reference §1.6, §6), so PainMind does not ship it. A site holding a licence supplies it "
    "as <licensed_dir>/pcs.json (see docs/instruments.md).",
    "pseq": "The PSEQ licence terms are unverified (clinical-reference §1.7, §6), so PainMind does not ship "
    "the item wording. A site with permission supplies it as <licensed_dir>/pseq.json (see docs/instruments.md).",
}


def normalise_id(instrument_id: str) -> str:
    """Return the canonical id: ``"PHQ-9"``, ``"phq_9"`` and ``"PHQ9"`` all give ``"phq9"``.

    Raises
    ------
    ValueError
        If the id names no known instrument.
    """
    key = re.sub(r"[^a-z0-9]", "", instrument_id.lower()) if isinstance(instrument_id, str) else ""
    if key not in INSTRUMENT_IDS:
        raise ValueError(f"unknown instrument {instrument_id!r}; known: {', '.join(INSTRUMENT_IDS)}")
    return key


def get_instrument(instrument_id: str, *, licensed_dir: Path | None = None) -> Instrument:
    """Return an instrument definition.

    Parameters
    ----------
    instrument_id
        Case-insensitive; punctuation is ignored (``"PHQ-9"``, ``"GAD7"``).
    licensed_dir
        Folder holding site-supplied wording for licensed instruments (``pcs.json``,
        ``pseq.json``); ignored for the others.

    Returns
    -------
    Instrument

    Raises
    ------
    ValueError
        For an unknown id, or a malformed licensed-wording file (the message names the file).

    Examples
    --------
    >>> get_instrument("PHQ-9").score_code
    '44261-6'
    >>> get_instrument("pcs").available
    False
    """
    key = normalise_id(instrument_id)
    if key in LICENSED_IDS and licensed_dir is not None:
        path = Path(licensed_dir) / f"{key}.json"
        if path.is_file():
            skeleton = _shipped(key)
            wording = read_wording(path, len(skeleton.items), len(skeleton.items[0].options))
            return _build(key, apply_wording(js.load_data(f"{key}.json"), wording), available=True)
    return _shipped(key)


def list_instruments(*, licensed_dir: Path | None = None) -> list[Instrument]:
    """Return every instrument, in :data:`INSTRUMENT_IDS` order."""
    return [get_instrument(key, licensed_dir=licensed_dir) for key in INSTRUMENT_IDS]


@lru_cache(maxsize=1)
def _scoring() -> js.JsonObject:
    return js.load_data("scoring.json")


@cache
def _shipped(key: str) -> Instrument:
    # Package data never changes at run time, so one parse per process is enough.
    return _build(key, js.load_data(f"{key}.json"), available=key not in LICENSED_IDS)


def _build(key: str, q: js.JsonObject, *, available: bool) -> Instrument:
    where = f"data/{key}.json"
    if js.get_str(q, "resourceType", where) != "Questionnaire" or js.get_str(q, "id", where) != key:
        raise ValueError(f"{where}: not the Questionnaire for {key}")
    items, stem, score_code = _parse_items(js.get_list(q, "item", where), where)
    rules_obj = js.get_object(_scoring(), key, "data/scoring.json")
    where = f"data/scoring.json: {key}"
    aggregate = js.get_str(rules_obj, "aggregate", where)
    if aggregate not in ("sum", "mean"):
        raise ValueError(f"{where}: aggregate must be 'sum' or 'mean'")
    bands = tuple(_band(js.as_object(b, where), where) for b in js.get_list(rules_obj, "bands", where))
    recalls = [v for v in js.extension_values(q, RECALL_URL) if isinstance(v, str)]
    inst = Instrument(
        id=key,
        title=js.get_str(q, "title", where),
        version=js.get_str(q, "version", where),
        recall=recalls[-1] if recalls else "",
        stem=stem,
        copyright=js.get_str(q, "copyright", where),
        code=_loinc_code(q),
        score_code=score_code,
        items=items,
        aggregate="sum" if aggregate == "sum" else "mean",
        score_min=js.get_number(rules_obj, "score_min", where),
        score_max=js.get_number(rules_obj, "score_max", where),
        higher_is_worse=js.get_bool(rules_obj, "higher_is_worse", where),
        bands=bands,
        available=available,
        unavailable_reason="" if available else _UNAVAILABLE.get(key, ""),
        safety_item=js.get_opt_str(rules_obj, "safety_item", where),
        rules=_rules(rules_obj, len([i for i in items if i.scored]), where),
        fhir_json=json.dumps(q, ensure_ascii=False),
    )
    _check(inst, where)
    return inst


def _parse_items(raw_items: list[object], where: str) -> tuple[tuple[Item, ...], str | None, str | None]:
    items: list[Item] = []
    stem: str | None = None
    score_code: str | None = None
    for raw in raw_items:
        obj = js.as_object(raw, where)
        link_id = js.get_str(obj, "linkId", where)
        kind = js.get_str(obj, "type", where)
        if kind == "display":
            if link_id.endswith("-stem"):
                stem = js.get_str(obj, "text", where)
            continue
        if obj.get("readOnly") is True:  # the calculated total: carries the score code, never answered
            score_code = _loinc_code(obj)
            continue
        here = f"{where}: {link_id}"
        if kind == "choice":
            options = tuple(
                _option(js.as_object(o, here), pos, here)
                for pos, o in enumerate(js.get_list(obj, "answerOption", here))
            )
        elif kind == "integer":
            options = _integer_options(obj, here)
        else:
            raise ValueError(f"{here}: unsupported item type {kind!r}")
        items.append(
            Item(
                link_id=link_id,
                number=len(items) + 1,
                text=js.get_opt_str(obj, "text", here),
                code=_loinc_code(obj),
                scored=False not in js.extension_values(obj, SCORED_URL),
                required=js.get_bool(obj, "required", here, default=False),
                options=options,
                min_value=min(o.value for o in options),
                max_value=max(o.value for o in options),
            )
        )
    return tuple(items), stem, score_code


def _option(obj: js.JsonObject, position: int, where: str) -> AnswerOption:
    if "valueInteger" in obj:
        value = js.as_int(obj["valueInteger"], where)
        return AnswerOption(value=value, code=None, display=str(value))
    coding = js.get_object(obj, "valueCoding", where)
    ordinals = js.extension_values(obj, ORDINAL_URL) + js.extension_values(coding, ORDINAL_URL)
    # Options without an ordinalValue (the PHQ-9 difficulty item) are recorded by position only.
    value = js.as_int(ordinals[0], where) if ordinals else position
    code = js.get_opt_str(coding, "code", where) if coding.get("system", LOINC) == LOINC else None
    return AnswerOption(value=value, code=code, display=js.get_str(coding, "display", where))


def _integer_options(obj: js.JsonObject, where: str) -> tuple[AnswerOption, ...]:
    lows, highs = js.extension_values(obj, MIN_URL), js.extension_values(obj, MAX_URL)
    if not lows or not highs:
        raise ValueError(f"{where}: integer items need minValue and maxValue extensions")
    lo, hi = js.as_int(lows[0], where), js.as_int(highs[0], where)
    labels: dict[int, str] = {}
    for child in js.get_list(obj, "item", where, default=[]):
        child_obj = js.as_object(child, where)
        # SDC item-control "lower"/"upper" display children label the ends of the range.
        controls = _control_codes(child_obj)
        if "lower" in controls:
            labels[lo] = js.get_str(child_obj, "text", where)
        elif "upper" in controls:
            labels[hi] = js.get_str(child_obj, "text", where)
    return tuple(AnswerOption(value=v, code=None, display=labels.get(v, str(v))) for v in range(lo, hi + 1))


def _control_codes(obj: js.JsonObject) -> set[str]:
    found: set[str] = set()
    for concept in js.extension_values(obj, ITEM_CONTROL_URL):
        codings = concept.get("coding") if isinstance(concept, dict) else None
        for coding in codings if isinstance(codings, list) else []:
            if isinstance(coding, dict) and isinstance(coding.get("code"), str):
                found.add(str(coding["code"]))
    return found


def _loinc_code(obj: js.JsonObject) -> str | None:
    codes = obj.get("code")
    for coding in codes if isinstance(codes, list) else []:
        if isinstance(coding, dict) and coding.get("system") == LOINC and isinstance(coding.get("code"), str):
            return str(coding["code"])
    return None


def _band(obj: js.JsonObject, where: str) -> Band:
    return Band(
        label=js.get_str(obj, "label", where),
        lo=js.get_number(obj, "lo", where),
        hi=js.get_number(obj, "hi", where),
        text=js.get_str(obj, "text", where),
    )


def _cutoff(obj: js.JsonObject, where: str) -> CutOff | None:
    value = js.get_opt_number(obj, "cutoff", where)
    if value is None:
        return None
    comparison = js.get_str(obj, "comparison", where)
    if comparison not in (">=", ">"):
        raise ValueError(f"{where}: comparison must be '>=' or '>'")
    cmp: Comparison = ">=" if comparison == ">=" else ">"
    return CutOff(value=value, comparison=cmp, source=js.get_str(obj, "source", where))


def _rules(obj: js.JsonObject, n_scored: int, where: str) -> ScoringRules:
    screen_obj = obj.get("screen")
    screen = None if screen_obj is None else _cutoff(js.as_object(screen_obj, where), where)
    subscales = []
    for raw in js.get_list(obj, "subscales", where):
        sub = js.as_object(raw, where)
        numbers = tuple(js.as_int(n, where) for n in js.get_list(sub, "items", where))
        if not all(1 <= n <= n_scored for n in numbers):
            raise ValueError(f"{where}: subscale item numbers must be 1–{n_scored}")
        subscales.append(
            SubscaleRule(
                name=js.get_str(sub, "name", where),
                title=js.get_str(sub, "title", where),
                items=numbers,
                cutoff=_cutoff(sub, where),
                source=js.get_str(sub, "source", where),
            )
        )
    missing = js.get_object(obj, "missing", where)
    return ScoringRules(
        screen=screen,
        subscales=tuple(subscales),
        missing=MissingRule(
            max_prorated=js.as_int(missing.get("max_prorated"), where),
            source=js.get_str(missing, "source", where),
            option=js.get_opt_str(missing, "option", where),
        ),
        source=js.get_str(obj, "source", where),
        bands_source=js.get_str(obj, "bands_source", where),
        flag_severe_band=js.get_bool(obj, "flag_severe_band", where, default=False),
        screen_option=None if screen_obj is None else js.get_opt_str(js.as_object(screen_obj, where), "option", where),
    )


def _check(inst: Instrument, where: str) -> None:
    # Bands must tile the score range without gaps or overlaps, so every total has one band.
    if inst.bands:
        edges = [(b.lo, b.hi) for b in inst.bands]
        ok = edges[0][0] == inst.score_min and edges[-1][1] == inst.score_max
        ok = ok and all(nxt[0] == prev[1] + 1 for prev, nxt in itertools.pairwise(edges))
        if not ok:
            raise ValueError(f"{where}: bands must cover {inst.score_min}–{inst.score_max} without gaps")
    if inst.safety_item is not None and inst.safety_item not in {i.link_id for i in inst.items}:
        raise ValueError(f"{where}: safety_item {inst.safety_item!r} is not an item")
    if not inst.scored_items:
        raise ValueError(f"{where}: no scored items")
