"""Template hygiene: Django's `{# #}` comments end on their own line, or they print as text."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "painmind"


def test_no_template_comment_spans_lines():
    unclosed = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert unclosed == []  # use {% comment %} … {% endcomment %} for several lines
