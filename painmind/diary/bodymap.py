"""The body map on the check-in form: every region of `core.body_regions` as one shape on a
front or back outline, drawn on the server (JavaScript only makes the shapes toggle the
checkboxes, which stay the no-JavaScript way to answer).

A project rule (docs/patient.md, "Where it hurts"): the figures face the reader, so on the front
the person's right side is on the left of the picture and on the back it is on the right; the
face and jaw are marked on the front's head, the head on the back's. Shapes are at least 24 units
across in a 340-unit-wide picture, and the map is drawn full width, so on a 360 px phone each
target is about 24 px or more; the checkbox list below gives 44 px targets to anyone who needs them.
"""

from __future__ import annotations

from html import escape
from typing import Final

from django.utils.safestring import SafeString, mark_safe

from painmind.core.body_regions import BODY_REGIONS

# code -> (figure, SVG shape without its closing): "front" at x 0–160, "back" at x 180–340.
SHAPES: Final[dict[str, tuple[str, str]]] = {
    "face_jaw": ("front", '<ellipse cx="80" cy="42" rx="20" ry="22"'),
    "chest": ("front", '<rect x="48" y="70" width="64" height="44" rx="6"'),
    "abdomen": ("front", '<rect x="50" y="116" width="60" height="36" rx="4"'),
    "pelvis": ("front", '<rect x="50" y="154" width="60" height="28" rx="4"'),
    "arm_right": ("front", '<rect x="18" y="76" width="26" height="80" rx="10"'),
    "arm_left": ("front", '<rect x="116" y="76" width="26" height="80" rx="10"'),
    "hand_right": ("front", '<ellipse cx="31" cy="172" rx="14" ry="14"'),
    "hand_left": ("front", '<ellipse cx="129" cy="172" rx="14" ry="14"'),
    "leg_right": ("front", '<path d="M52 186h26v62h-26z M54 280h22v50h-22z"'),
    "leg_left": ("front", '<path d="M82 186h26v62h-26z M84 280h22v50h-22z"'),
    "knee_right": ("front", '<ellipse cx="65" cy="264" rx="14" ry="14"'),
    "knee_left": ("front", '<ellipse cx="95" cy="264" rx="14" ry="14"'),
    "foot_right": ("front", '<ellipse cx="64" cy="346" rx="16" ry="12"'),
    "foot_left": ("front", '<ellipse cx="96" cy="346" rx="16" ry="12"'),
    "head": ("back", '<ellipse cx="260" cy="42" rx="20" ry="22"'),
    "neck": ("back", '<rect x="246" y="66" width="28" height="14" rx="4"'),
    "shoulder_left": ("back", '<ellipse cx="218" cy="92" rx="18" ry="14"'),
    "shoulder_right": ("back", '<ellipse cx="302" cy="92" rx="18" ry="14"'),
    "upper_back": ("back", '<rect x="238" y="82" width="44" height="54" rx="6"'),
    "lower_back": ("back", '<rect x="232" y="138" width="56" height="36" rx="4"'),
    "hip_left": ("back", '<rect x="230" y="176" width="29" height="34" rx="8"'),
    "hip_right": ("back", '<rect x="261" y="176" width="29" height="34" rx="8"'),
    "widespread": ("both", '<rect x="4" y="370" width="332" height="30" rx="8"'),
}


def body_map(chosen: set[str]) -> SafeString:
    """The map's SVG, each region a focusable `role="checkbox"` shape named by its label,
    `aria-checked` from `chosen`. Hidden until the script (static/painmind/bodymap.js) runs."""
    parts = [
        '<text x="80" y="14" text-anchor="middle" class="fig-label">Front</text>',
        '<text x="260" y="14" text-anchor="middle" class="fig-label">Back</text>',
    ]
    for code, (_, shape) in SHAPES.items():
        label = escape(BODY_REGIONS[code])
        checked = "true" if code in chosen else "false"
        parts.append(
            f'{shape} class="region" data-region="{code}" role="checkbox" tabindex="0" '
            f'aria-checked="{checked}" aria-label="{label}"><title>{label}</title>'
            f"{'</ellipse>' if shape.startswith('<ellipse') else '</rect>' if shape.startswith('<rect') else '</path>'}"
        )
    parts.append('<text x="170" y="390" text-anchor="middle" class="fig-label" aria-hidden="true">All over</text>')
    svg = (
        '<svg class="bodymap" hidden viewBox="0 0 340 404" role="group" '
        'aria-label="Body map, front and back: choose where it hurts" xmlns="http://www.w3.org/2000/svg">'
        f"{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - labels escaped, the rest fixed
