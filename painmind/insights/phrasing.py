"""The cycle in plain words, with its likely range and the days behind it, and a small diagram."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

LABELS = {"pain": "pain", "mood": "mood"}


@dataclass(frozen=True)
class Direction:
    source: str
    target: str
    coef: float | None
    ci_low: float | None
    ci_high: float | None
    q: float | None
    n_pairs: int
    text: str

    @property
    def clear(self) -> bool:
        """The 95 % interval excludes zero: the direction of the effect is known."""
        return self.ci_low is not None and self.ci_high is not None and (self.ci_low > 0 or self.ci_high < 0)


def _edge(fit: dict[str, Any], source: str, target: str) -> dict[str, Any] | None:
    return next((e for e in fit.get("edges", []) if e["from"] == source and e["to"] == target), None)


def direction(fit: dict[str, Any], source: str, target: str) -> Direction | None:
    """How a 1-point higher `source` one day goes with `target` the next, in words."""
    edge = _edge(fit, source, target)
    if edge is None or edge["coef"] is None:
        return None
    coef, low, high, n = edge["coef"], edge["ci_low"], edge["ci_high"], int(fit.get("n_pairs", 0))
    src, tgt = LABELS.get(source, source), LABELS.get(target, target)
    span = f"likely between {low:+.2f} and {high:+.2f}"
    basis = f"Based on {n} pairs of consecutive days."
    if low > 0 or high < 0:
        way = "higher" if coef > 0 else "lower"
        text = (
            f"After a day with 1 point more {src}, your {tgt} the next day was on average "
            f"{abs(coef):.2f} points {way} ({span}). {basis}"
        )
    else:
        text = (
            f"We can't tell yet whether your {src} one day changes your {tgt} the next: "
            f"the effect of 1 point more {src} is {span} points, which includes no effect. {basis}"
        )
    return Direction(source, target, coef, low, high, edge.get("q"), n, text)


def cycle_diagram(pain_to_mood: Direction | None, mood_to_pain: Direction | None) -> SafeString:
    """Two nodes and two arrows; a solid arrow when the direction is clear, dashed when not."""

    def arrow(d: Direction | None, path: str, label_xy: tuple[int, int]) -> str:
        if d is None or d.coef is None:
            return ""
        width = 1.5 + min(abs(d.coef), 1.0) * 5
        dash = "" if d.clear else ' stroke-dasharray="6 5"'
        x, y = label_xy
        return (
            f'<path d="{path}" fill="none" stroke="#1f5fa8" stroke-width="{width:.1f}"{dash} marker-end="url(#head)"/>'
            f'<text x="{x}" y="{y}" text-anchor="middle" class="edge-label">{d.coef:+.2f}</text>'
        )

    title = "Your pain–mood cycle: " + " ".join(d.text for d in (pain_to_mood, mood_to_pain) if d)
    svg = (
        '<svg class="cycle-diagram" viewBox="0 0 360 170" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
        '<defs><marker id="head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f5fa8"/></marker></defs>'
        '<circle cx="70" cy="85" r="44" fill="#fbeedd" stroke="#b7791f"/>'
        '<text x="70" y="91" text-anchor="middle" class="node">Pain</text>'
        '<circle cx="290" cy="85" r="44" fill="#e8eef8" stroke="#1f5fa8"/>'
        '<text x="290" y="91" text-anchor="middle" class="node">Mood</text>'
        f"{arrow(pain_to_mood, 'M110,62 Q180,15 248,62', (180, 30))}"
        f"{arrow(mood_to_pain, 'M250,108 Q180,155 112,108', (180, 150))}"
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - the only interpolated text is escaped or numeric
