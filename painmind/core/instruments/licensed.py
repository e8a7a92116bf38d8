"""Site-supplied wording for licensed instruments (PCS, PSEQ).

PainMind ships no item wording for these (clinical-reference §1.6, §1.7, §6). A site holding a
licence puts ``<licensed_dir>/<id>.json`` next to its configuration::

    {
      "items": ["<item 1 text>", "...", "<item N text>"],
      "answer_labels": ["<label for 0>", "...", "<label for the top value>"],
      "stem": "<optional instructions shown above the items>",
      "recall": "<optional recall period>",
      "copyright": "<optional copyright line your licence requires>"
    }

``items`` has one text per item (PCS 13, PSEQ 10) and ``answer_labels`` one label per answer
value (PCS 0–4: 5 labels, PSEQ 0–6: 7 labels). Any other key, a wrong count or an empty string
is a ValueError naming the file, so a typo cannot silently ship a half-labelled form.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from painmind.core.instruments._json import JsonObject, as_object, get_list, get_str, load_file

ORDINAL_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
RECALL_URL = "https://painmind.example.org/fhir/StructureDefinition/recall-period"
_KEYS = frozenset({"items", "answer_labels", "stem", "recall", "copyright"})


@dataclass(frozen=True)
class LicensedWording:
    """Wording read from a site's licensed file."""

    items: tuple[str, ...]
    answer_labels: tuple[str, ...]
    stem: str | None
    recall: str | None
    copyright: str | None


def read_wording(path: Path, n_items: int, n_labels: int) -> LicensedWording:
    """Read and check a site's wording file.

    Parameters
    ----------
    path
        The ``<licensed_dir>/<id>.json`` file.
    n_items, n_labels
        How many item texts and answer labels the instrument needs.

    Returns
    -------
    LicensedWording
        The texts, in item and answer-value order.

    Raises
    ------
    ValueError
        If the file is not valid JSON or does not match the format above; the message names it.
    """
    where = str(path)
    data = load_file(path)
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}")
    items = _texts(data, "items", n_items, where)
    labels = _texts(data, "answer_labels", n_labels, where)
    optional = {key: _optional_text(data, key, where) for key in ("stem", "recall", "copyright")}
    return LicensedWording(items, labels, optional["stem"], optional["recall"], optional["copyright"])


def apply_wording(questionnaire: JsonObject, wording: LicensedWording) -> JsonObject:
    """Return a copy of a skeleton Questionnaire with the site's wording filled in."""
    q = dict(questionnaire)
    where = f"Questionnaire {q.get('id')}"
    questions: list[object] = []
    texts = iter(wording.items)
    for raw in get_list(q, "item", where):
        item = dict(as_object(raw, where))
        if item.get("readOnly") is not True:
            item["text"] = next(texts)
            # FHIR answerOption: a display-only Coding carries the label, ordinalValue the score.
            item["answerOption"] = [
                {"valueCoding": {"display": label}, "extension": [{"url": ORDINAL_URL, "valueDecimal": value}]}
                for value, label in enumerate(wording.answer_labels)
            ]
        questions.append(item)
    if wording.stem:
        questions.insert(0, {"linkId": f"{q.get('id')}-stem", "type": "display", "text": wording.stem})
    q["item"] = questions
    if wording.recall:
        q["extension"] = [
            *get_list(q, "extension", where, default=[]),
            {"url": RECALL_URL, "valueString": wording.recall},
        ]
    if wording.copyright:
        q["copyright"] = wording.copyright
    return q


def _texts(data: JsonObject, key: str, count: int, where: str) -> tuple[str, ...]:
    values = data.get(key)
    if not isinstance(values, list) or len(values) != count:
        got = f"{len(values)} entries" if isinstance(values, list) else type(values).__name__
        raise ValueError(f"{where}: '{key}' must be a list of {count} texts, got {got}")
    for index, value in enumerate(values, 1):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{where}: '{key}' entry {index} must be a non-empty text")
    return tuple(str(v).strip() for v in values)


def _optional_text(data: JsonObject, key: str, where: str) -> str | None:
    if key not in data:
        return None
    value = get_str(data, key, where).strip()
    if not value:
        raise ValueError(f"{where}: '{key}' must not be empty (leave it out instead)")
    return value
