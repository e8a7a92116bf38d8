"""The fixed list of body regions a check-in's `pain_locations` may name.

A project decision, not a clinical instrument: coarse regions a person can pick on a phone
in a second, left and right kept apart where people usually tell them apart. Codes are
stable identifiers (stored and exported); labels are for display. Documented in
docs/checkin.md. Add regions at the end; never rename or reuse a code.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

BODY_REGIONS: dict[str, str] = {
    "head": "Head",
    "face_jaw": "Face or jaw",
    "neck": "Neck",
    "shoulder_left": "Left shoulder",
    "shoulder_right": "Right shoulder",
    "upper_back": "Upper back",
    "lower_back": "Lower back",
    "chest": "Chest",
    "abdomen": "Abdomen",
    "pelvis": "Pelvis or groin",
    "arm_left": "Left arm or elbow",
    "arm_right": "Right arm or elbow",
    "hand_left": "Left hand or wrist",
    "hand_right": "Right hand or wrist",
    "hip_left": "Left hip or buttock",
    "hip_right": "Right hip or buttock",
    "leg_left": "Left leg",
    "leg_right": "Right leg",
    "knee_left": "Left knee",
    "knee_right": "Right knee",
    "foot_left": "Left foot or ankle",
    "foot_right": "Right foot or ankle",
    "widespread": "All over / widespread",
}


def region_days(marked: Iterable[tuple[date, Iterable[str]]]) -> list[tuple[str, str, int]]:
    """How many distinct days each region was marked: ``(code, label, days)``, most days first
    (ties in the list's order above); regions never marked and unknown codes are left out.

    >>> from datetime import date
    >>> region_days([(date(2026, 1, 1), ["neck"]), (date(2026, 1, 1), ["neck", "head"]), (date(2026, 1, 2), ["neck"])])
    [('neck', 'Neck', 2), ('head', 'Head', 1)]
    """
    days: dict[str, set[date]] = {}
    for day, codes in marked:
        for code in codes:
            if code in BODY_REGIONS:
                days.setdefault(code, set()).add(day)
    order = {code: i for i, code in enumerate(BODY_REGIONS)}
    ranked = sorted(days, key=lambda c: (-len(days[c]), order[c]))
    return [(code, BODY_REGIONS[code], len(days[code])) for code in ranked]
