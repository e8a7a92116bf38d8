from __future__ import annotations

from datetime import date

ON = date(2026, 12, 6)


def item(drug: str, dose: float, unit: str = "mg", **kw: object) -> dict[str, object]:
    """A JSON item as a person or script would write it."""
    return {"drug": drug, "dose": dose, "unit": unit, **kw}
