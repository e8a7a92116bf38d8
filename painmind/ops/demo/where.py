"""Where it hurts, in the demo diaries: each invented person has one to three usual regions
(core.body_regions), marked on most days with pain of 3 or more (two of them on days of 6 or
more), and "pain got in the way" on most days, following that day's pain with some noise.

Synthetic and seeded, from its own generator per person, so the rest of the demo (diaries,
answers, alerts) is the same with or without it. Not used by the cycle analysis.
"""

from __future__ import annotations

import numpy as np

USUAL = ("lower_back", "neck", "upper_back", "head", "shoulder_left", "shoulder_right", "hip_left", "hip_right",
         "knee_left", "knee_right", "widespread")  # fmt: skip


def add_where(rows: list[dict[str, object]], rng: np.random.Generator) -> None:
    """Add `pain_locations` and `pain_interference` to one person's check-in values, in place."""
    usual = [str(r) for r in rng.choice(USUAL, size=int(rng.integers(1, 4)), replace=False)]
    for data in rows:
        pain = data.get("pain")
        if not isinstance(pain, int):
            continue
        if pain >= 3 and rng.random() < 0.8:
            k = min(len(usual), 2 if pain >= 6 else 1)
            data["pain_locations"] = [str(r) for r in rng.choice(usual, size=k, replace=False)]
        if rng.random() < 0.7:
            data["pain_interference"] = int(np.clip(round(0.8 * pain + rng.normal(0.0, 1.2)), 0, 10))
