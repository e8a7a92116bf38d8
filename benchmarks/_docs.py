"""Write one benchmark's section of docs/benchmarks.md, keeping every other section."""

from __future__ import annotations

import subprocess
from pathlib import Path

TITLE = "# Benchmarks"
ROOT = Path(__file__).resolve().parent.parent


def git_commit() -> str:
    """The checkout's short commit, for a benchmark's "run at commit …" line ("unknown" outside git)."""
    git = ["git", "rev-parse", "--short", "HEAD"]
    run = subprocess.run(git, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603 - a fixed command
    return run.stdout.strip() or "unknown"


def replace_section(path: Path, heading: str, lines: list[str]) -> None:
    """Replace the section that starts with `heading` (a "## …" line prefix) by `lines`.

    `lines` start with the section's own "## …" line. Other sections stay as they are and in
    their order; a new section goes at the end.
    """
    old = path.read_text() if path.exists() else ""
    sections: list[str] = []
    current: list[str] = []
    for line in old.splitlines():
        if line.startswith("## "):
            if current:
                sections.append("\n".join(current).strip())
            current = [line]
        elif current:
            current.append(line)
    if current:
        sections.append("\n".join(current).strip())
    new = "\n".join(lines).strip()
    for i, section in enumerate(sections):
        if section.startswith(heading):
            sections[i] = new
            break
    else:
        sections.append(new)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TITLE + "\n\n" + "\n\n".join(sections) + "\n")
