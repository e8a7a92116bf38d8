"""The body map on the check-in form: every region of `core.body_regions` as one shape on a
front or back outline, drawn on the server (JavaScript only makes the shapes toggle the
checkboxes, which stay the no-JavaScript way to answer).

Project rules (docs/patient.md, "Where it hurts"):

- The figures face the reader, so on the front the person's right side is on the left of the
  picture and on the back it is on the right; the face and jaw are marked on the front's head,
  the head on the back's.
- Touch targets: every region's hit area is at least `MIN_HIT` units in both directions (a
  transparent rectangle behind a smaller shape) and no two hit areas overlap. Front and back
  are two pictures of `FIGURE_WIDTH` units that sit side by side on a wide screen and stack on a
  phone, each at least 16rem (256 px) wide there (app.css), so every target is at least
  28 × 256 / 160 ≈ 45 CSS px across: the 44 × 44 px of WCAG 2.5.5. "All over" is a full-width
  bar at least 44 px tall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Final

from django.utils.safestring import SafeString, mark_safe

from painmind.core.body_regions import BODY_REGIONS

FIGURE_WIDTH: Final[int] = 160
MIN_HIT: Final[int] = 28
# The picture's left edge per figure (the back's shapes keep their coordinates, x 180–340) and
# its height: the back shows no legs, so its picture ends below the hips.
ORIGIN: Final[dict[str, int]] = {"front": 0, "back": 180}
HEIGHT: Final[dict[str, int]] = {"front": 364, "back": 216}

# code -> (figure, SVG shape without its closing).
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
    "neck": ("back", '<rect x="246" y="66" width="28" height="24" rx="4"'),
    "shoulder_left": ("back", '<ellipse cx="218" cy="92" rx="18" ry="14"'),
    "shoulder_right": ("back", '<ellipse cx="302" cy="92" rx="18" ry="14"'),
    "upper_back": ("back", '<rect x="238" y="92" width="44" height="44" rx="6"'),
    "lower_back": ("back", '<rect x="232" y="138" width="56" height="36" rx="4"'),
    "hip_left": ("back", '<rect x="230" y="176" width="29" height="34" rx="8"'),
    "hip_right": ("back", '<rect x="261" y="176" width="29" height="34" rx="8"'),
}
# Drawn as a bar under the pictures (an HTML element, so it spans the width on any screen).
ALL_OVER: Final[str] = "widespread"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )

    def grown(self, least: float) -> Box:
        """At least `least` units in each direction, about the same centre."""
        w, h = max(self.width, least), max(self.height, least)
        return Box(self.x - (w - self.width) / 2, self.y - (h - self.height) / 2, w, h)


def _numbers(shape: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r'(\w+)="(-?[\d.]+)"', shape)}


def pieces(shape: str) -> list[Box]:
    """The shape's parts as boxes: one for an ellipse or rectangle, one per sub-path of a path
    made of `M x y h w v h h -w z` rectangles (a leg: thigh and shin, with the knee between)."""
    if shape.startswith("<ellipse"):
        n = _numbers(shape)
        return [Box(n["cx"] - n["rx"], n["cy"] - n["ry"], 2 * n["rx"], 2 * n["ry"])]
    if shape.startswith("<rect"):
        n = _numbers(shape)
        return [Box(n["x"], n["y"], n["width"], n["height"])]
    found = re.findall(r"M(-?[\d.]+) (-?[\d.]+)h(-?[\d.]+)v(-?[\d.]+)h-?[\d.]+z", shape)
    return [Box(float(x), float(y), float(w), float(h)) for x, y, w, h in found]


def hit_boxes(code: str) -> list[Box]:
    """Where a tap or click on `code` lands: each part grown to `MIN_HIT` units."""
    return [p.grown(MIN_HIT) for p in pieces(SHAPES[code][1])]


def _close(shape: str) -> str:
    return "</ellipse>" if shape.startswith("<ellipse") else "</rect>" if shape.startswith("<rect") else "</path>"


def _region(code: str, chosen: set[str]) -> str:
    shape = SHAPES[code][1]
    label = escape(BODY_REGIONS[code])
    hits = "".join(
        f'<rect class="hit" x="{b.x:g}" y="{b.y:g}" width="{b.width:g}" height="{b.height:g}"></rect>'
        for b in hit_boxes(code)
    )
    return (
        f'<g class="region" data-region="{code}" role="checkbox" tabindex="0" '
        f'aria-checked="{"true" if code in chosen else "false"}" aria-label="{label}"><title>{label}</title>'
        f'{hits}{shape} class="shape">{_close(shape)}</g>'
    )


def body_map(chosen: set[str]) -> SafeString:
    """The map: front and back pictures and the "all over" bar, each region a focusable
    `role="checkbox"` named by its label, `aria-checked` from `chosen`. Hidden until the script
    (static/painmind/bodymap.js) runs."""
    figures = []
    for figure, name in (("front", "Front"), ("back", "Back")):
        x0 = ORIGIN[figure]
        regions = "".join(_region(code, chosen) for code, (where, _) in SHAPES.items() if where == figure)
        figures.append(
            f'<svg class="fig" viewBox="{x0} 0 {FIGURE_WIDTH} {HEIGHT[figure]}" role="group" aria-label="{name}" '
            'xmlns="http://www.w3.org/2000/svg">'
            f'<text x="{x0 + FIGURE_WIDTH // 2}" y="14" text-anchor="middle" class="fig-label" aria-hidden="true">'
            f"{name}</text>{regions}</svg>"
        )
    label = escape(BODY_REGIONS[ALL_OVER])
    checked = "true" if ALL_OVER in chosen else "false"
    all_over = (
        f'<div class="region all-over" data-region="{ALL_OVER}" role="checkbox" tabindex="0" '
        f'aria-checked="{checked}">{label}</div>'
    )
    html = (
        '<div class="bodymap" hidden role="group" aria-label="Body map, front and back: choose where it hurts">'
        f"{''.join(figures)}{all_over}</div>"
    )
    return mark_safe(html)  # noqa: S308 - labels escaped, the rest fixed
