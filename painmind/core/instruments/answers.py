"""Turn the answers a caller gives into one checked value per item.

Accepted shapes: a sequence with one value per scored item or per item (the PHQ-9 takes 9 or
10: the 10th is the unscored difficulty item), or a mapping of linkId to value. ``None`` means
left blank; a linkId missing from a mapping is blank too. Everything else that is not an
allowed whole number is collected into one :class:`InvalidAnswers`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from painmind.core.instruments.model import Instrument, InvalidAnswers, Item

Answers = Sequence[int | None] | Mapping[str, int | None]


def check_answers(instrument: Instrument, answers: Answers) -> tuple[int | None, ...]:
    """Return one value (or None) per item of ``instrument.items``.

    Raises
    ------
    InvalidAnswers
        Naming every offending item; ``errors["answers"]`` for a wrong shape or length.
    """
    errors: dict[str, str] = {}
    raw: list[object]
    if isinstance(answers, Mapping):
        raw = _from_mapping(instrument, answers, errors)
    elif isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        # A string is a Sequence too, but "0123" is never a list of answers.
        raise InvalidAnswers(
            {"answers": f"expected a list of answers or a mapping of linkId to answer, got {type(answers).__name__}"},
            instrument=instrument.id,
        )
    else:
        raw = _from_sequence(instrument, answers, errors)
        if errors:
            raise InvalidAnswers(errors, instrument=instrument.id)
    values: list[int | None] = []
    for item, value in zip(instrument.items, raw, strict=True):
        values.append(_check_value(item, value, errors))
    if errors:
        raise InvalidAnswers(errors, instrument=instrument.id)
    return tuple(values)


def _from_mapping(instrument: Instrument, answers: Mapping[str, object], errors: dict[str, str]) -> list[object]:
    known = {item.link_id: index for index, item in enumerate(instrument.items)}
    raw: list[object] = [None] * len(instrument.items)
    for key, value in answers.items():
        if key in known:
            raw[known[key]] = value
        else:
            errors[str(key)] = f"unknown item {key!r}; known: {', '.join(known)}"
    return raw


def _from_sequence(instrument: Instrument, answers: Sequence[object], errors: dict[str, str]) -> list[object]:
    n_all, n_scored = len(instrument.items), len(instrument.scored_items)
    if len(answers) == n_all:
        return list(answers)
    if len(answers) == n_scored:
        given = iter(answers)
        return [next(given) if item.scored else None for item in instrument.items]
    expected = f"{n_scored}" if n_all == n_scored else f"{n_scored} (scored items) or {n_all} (all items)"
    errors["answers"] = f"expected {expected} answers, got {len(answers)}"
    return []


def _check_value(item: Item, value: object, errors: dict[str, str]) -> int | None:
    if value is None:
        return None
    allowed = f"allowed {item.min_value}–{item.max_value}"
    # bool is a subclass of int, but True is not an answer anyone gave.
    if isinstance(value, bool) or not isinstance(value, int):
        errors[item.link_id] = f"{item.label}: {value!r} is not an allowed answer; {allowed} (whole numbers only)"
        return None
    if value not in {option.value for option in item.options}:
        errors[item.link_id] = f"{item.label}: {value} is not an allowed answer; {allowed}"
        return None
    return value
