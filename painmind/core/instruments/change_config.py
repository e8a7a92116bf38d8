"""Where the change thresholds come from: reliable-change SEMs and MCIDs.

``data/reliable_change.json`` holds the SEM inputs for reliable change (clinical-reference §3);
``data/mcid.json`` the minimal clinically important changes. A site can override the SEMs with
its own file in the same format (see :func:`load_change_config`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from painmind.core.instruments import _json as js
from painmind.core.instruments.registry import normalise_id

Z_95: Final[float] = 1.96  # clinical-reference §3 [S43]: |RCI| > 1.96 → reliable change (p < .05)
_CONFIG_KEYS = frozenset({"sem", "sd", "reliability", "threshold", "source", "status"})


@dataclass(frozen=True)
class ReliableChangeConfig:
    """Standard error of measurement for one instrument, with where it comes from."""

    sem: float
    source: str
    status: str

    @property
    def threshold(self) -> float:
        """Return the smallest reliable change in points: 1.96 · √2 · SEM (clinical-reference §3)."""
        return Z_95 * math.sqrt(2) * self.sem


@dataclass(frozen=True)
class Mcid:
    """A minimal clinically important change: points, and optionally a percentage of the baseline."""

    points: float
    percent: float | None
    source: str


def load_change_config(path: Path | None = None) -> dict[str, ReliableChangeConfig]:
    """Return reliable-change settings per instrument id.

    Parameters
    ----------
    path
        Optional site file in the format of ``data/reliable_change.json``. Each entry replaces
        the shipped one for that instrument; ``null`` removes it.

    Returns
    -------
    dict[str, ReliableChangeConfig]
        Shipped defaults (PHQ-9, GAD-7, PEG, PSEQ) with the site's overrides applied.

    Raises
    ------
    ValueError
        If the file is unreadable or an entry is malformed; the message names the file.
    """
    configs = dict(_default_config())
    if path is not None:
        for key, cfg in _parse_config(js.load_file(path), str(path)).items():
            if cfg is None:
                configs.pop(key, None)
            else:
                configs[key] = cfg
    return configs


@lru_cache(maxsize=1)
def _default_config() -> tuple[tuple[str, ReliableChangeConfig], ...]:
    parsed = _parse_config(js.load_data("reliable_change.json"), "data/reliable_change.json")
    return tuple((k, v) for k, v in parsed.items() if v is not None)


def _parse_config(data: js.JsonObject, where: str) -> dict[str, ReliableChangeConfig | None]:
    out: dict[str, ReliableChangeConfig | None] = {}
    for raw_key, raw in data.items():
        if raw_key.startswith("_"):  # "_comment"
            continue
        try:
            key = normalise_id(raw_key)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from exc
        if raw is None:
            out[key] = None
            continue
        here = f"{where}: {raw_key}"
        entry = js.as_object(raw, here)
        unknown = sorted(set(entry) - _CONFIG_KEYS)
        forms = [f for f in (("sem",), ("sd", "reliability"), ("threshold",)) if any(k in entry for k in f)]
        if unknown or len(forms) != 1:
            raise ValueError(
                f"{here}: give exactly one of 'sem', 'sd' + 'reliability', or 'threshold' (plus 'source' and 'status')"
            )
        if forms[0] == ("sem",):
            sem = js.get_number(entry, "sem", here)
        elif forms[0] == ("threshold",):
            sem = js.get_number(entry, "threshold", here) / (Z_95 * math.sqrt(2))
        else:
            r = js.get_number(entry, "reliability", here)
            if not 0 <= r < 1:
                raise ValueError(f"{here}: 'reliability' must be at least 0 and below 1")
            sem = js.get_number(entry, "sd", here) * math.sqrt(1 - r)  # clinical-reference §3
        if sem <= 0:
            raise ValueError(f"{here}: the standard error of measurement must be positive")
        out[key] = ReliableChangeConfig(sem, js.get_str(entry, "source", here), js.get_str(entry, "status", here))
    return out


@lru_cache(maxsize=1)
def mcids() -> dict[str, Mcid]:
    data = js.load_data("mcid.json")
    out = {}
    for key, raw in data.items():
        if key.startswith("_"):
            continue
        entry = js.as_object(raw, f"data/mcid.json: {key}")
        where = f"data/mcid.json: {key}"
        out[key] = Mcid(
            js.get_number(entry, "points", where),
            js.get_opt_number(entry, "percent", where),
            js.get_str(entry, "source", where),
        )
    return out
