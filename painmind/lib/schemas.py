"""What every API request body and query is built from (docs/api.md "Input rules"):

- `In`: the base of every request body. Unknown fields are refused (a misspelt optional field
  would otherwise vanish silently), and a number is a JSON number: ``true`` or ``"1"`` for an
  integer or a decimal field is refused with the field named, as pydantic's lax mode would
  otherwise take them as 1.
- `Text`: a string without NUL or other control characters (tab, newline and carriage return
  excepted). PostgreSQL cannot store NUL in text; the others are never typed by a person.
- `Day` and `Moment`: a date or an instant within the stored-date range (`painmind.lib.dates`).
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, ValidationError, model_validator
from pydantic_core import InitErrorDetails

from painmind.lib.dates import date_problem

# C0 controls and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    if _CONTROL.search(value):
        return "must not contain NUL or other control characters"
    return None


def _text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _in_range(value: Any) -> Any:
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Text = Annotated[str, AfterValidator(_text)]
Day = Annotated[date, AfterValidator(_in_range)]
Moment = Annotated[datetime, AfterValidator(_in_range)]

_NUMBERS = (int, float, Decimal)


def _leaves(annotation: Any) -> set[Any]:
    """The plain types an annotation allows at its top level (``int | None`` → {int, NoneType})."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _leaves(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_leaves(a) for a in typing.get_args(annotation)))
    return {origin or annotation}


def _wrong_number(annotation: Any, value: Any) -> bool:
    """True when `value` is a bool or a string given for a field that takes only numbers."""
    leaves = _leaves(annotation)
    if not leaves & set(_NUMBERS) or bool in leaves or str in leaves:
        return False
    return isinstance(value, bool | str)


class In(Schema):
    """The base of every request body: unknown fields refused, numbers strictly numbers."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _strict_numbers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        errors: list[InitErrorDetails] = []
        for name, field in cls.model_fields.items():
            key = field.alias or name
            if key in data and _wrong_number(field.annotation, data[key]):
                errors.append({"type": "float_type", "loc": (key,), "input": data[key]})
            elif key in data and isinstance(data[key], list):
                item = _list_item(field.annotation)
                errors += [
                    {"type": "float_type", "loc": (key, i), "input": v}
                    for i, v in enumerate(data[key])
                    if item is not None and _wrong_number(item, v)
                ]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return data


def _list_item(annotation: Any) -> Any:
    """The item type of a ``list[X]`` (or ``list[X] | None``) annotation, else None."""
    for leaf in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(leaf) is list:
            return typing.get_args(leaf)[0]
    return None


AwareMoment = Annotated[AwareDatetime, AfterValidator(_in_range)]
