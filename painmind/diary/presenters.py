"""What the diary's pages show, built from loaded rows: shared by other apps' pages (the
clinician's patient page, the share-link page), which import presenters, never views."""

from __future__ import annotations

from typing import Any

from painmind.core.instruments import Instrument
from painmind.diary.charts import score_chart
from painmind.diary.models import QuestionnaireResponse


def history_context(instrument: Instrument, responses: list[QuestionnaireResponse]) -> dict[str, Any]:
    """One instrument's score history: the responses, a chart of the scored ones and its table id."""
    scored = [r for r in responses if r.total is not None]
    points = [(r.local_on, float(r.total)) for r in scored if r.total is not None]
    table_id = f"history-{instrument.id}"
    return {
        "instrument": instrument,
        "responses": responses,
        "chart": score_chart(instrument, points, table_id=table_id),
        "table_id": table_id,
    }
