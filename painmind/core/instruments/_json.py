"""Typed access to parsed JSON: every reader checks the type, so bad data fails loudly.

The package's own data files and the files a site supplies (licensed wording, reliable-change
overrides) go through the same checks; ``where`` names the file in every error.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

JsonObject = dict[str, object]


def load_data(name: str) -> JsonObject:
    """Read a JSON object shipped in ``painmind/core/instruments/data``."""
    text = resources.files("painmind.core.instruments").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return as_object(json.loads(text), f"package data {name}")


def load_file(path: Path) -> JsonObject:
    """Read a JSON object from a site file; any problem is a ValueError naming the file."""
    try:
        parsed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read JSON ({exc})") from exc
    return as_object(parsed, str(path))


def as_object(value: object, where: str) -> JsonObject:
    """Return ``value`` as a JSON object or raise ValueError."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError(f"{where}: expected a JSON object")
    return value


def get_object(obj: JsonObject, key: str, where: str) -> JsonObject:
    """Return the object at ``key``."""
    return as_object(obj.get(key), f"{where}: '{key}'")


def get_list(obj: JsonObject, key: str, where: str, *, default: list[object] | None = None) -> list[object]:
    """Return the list at ``key`` (``default`` when absent and a default is given)."""
    value = obj.get(key, default)
    if not isinstance(value, list):
        raise ValueError(f"{where}: '{key}' must be a list")
    return value


def get_str(obj: JsonObject, key: str, where: str, *, default: str | None = None) -> str:
    """Return the string at ``key`` (``default`` when absent and a default is given)."""
    value = obj.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"{where}: '{key}' must be a string")
    return value


def get_opt_str(obj: JsonObject, key: str, where: str) -> str | None:
    """Return the string at ``key``, or None when absent or null."""
    value = obj.get(key)
    if value is None:
        return None
    return get_str(obj, key, where)


def get_bool(obj: JsonObject, key: str, where: str, *, default: bool | None = None) -> bool:
    """Return the boolean at ``key``."""
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{where}: '{key}' must be true or false")
    return value


def as_int(value: object, where: str) -> int:
    """Return ``value`` as an int; bools and floats with a fraction are rejected."""
    # JSON has one number type: 0 and 0.0 both mean zero, but 0.5 or true do not name an item.
    if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
        raise ValueError(f"{where}: expected a whole number, got {value!r}")
    return int(value)


def as_number(value: object, where: str) -> float:
    """Return ``value`` as a finite float; bools are rejected."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: expected a number, got {value!r}")
    return float(value)


def get_number(obj: JsonObject, key: str, where: str) -> float:
    """Return the number at ``key``."""
    return as_number(obj.get(key), f"{where}: '{key}'")


def get_opt_number(obj: JsonObject, key: str, where: str) -> float | None:
    """Return the number at ``key``, or None when absent or null."""
    value = obj.get(key)
    return None if value is None else as_number(value, f"{where}: '{key}'")


def extension_values(element: JsonObject, url: str) -> list[object]:
    """Return the ``value[x]`` of every FHIR extension on ``element`` with this ``url``."""
    extensions = element.get("extension")
    if not isinstance(extensions, list):
        return []
    found: list[object] = []
    for ext in extensions:
        if isinstance(ext, dict) and ext.get("url") == url:
            found.extend(v for k, v in ext.items() if k.startswith("value"))
    return found
