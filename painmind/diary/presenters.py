"""What the diary's pages show, built from loaded rows: shared by other apps' pages (the
clinician's patient page, the share-link page), which import presenters, never views."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from painmind.core.instruments import Instrument, plain_change
from painmind.diary.charts import full_date, score_chart
from painmind.diary.instruments import short_name
from painmind.diary.models import QuestionnaireResponse


def history_context(instrument: Instrument, responses: list[QuestionnaireResponse]) -> dict[str, Any]:
    """One instrument's score history: the responses (newest first, as stored; each scored one
    with its `plain_change` sentence), a chart of the scored ones and its table id."""
    scored = [r for r in responses if r.total is not None]
    # Newest first: each scored response's change is against the next one down (the one before).
    name = short_name(instrument)
    for newer, older in pairwise(scored):
        if isinstance(newer.change, dict):
            newer.plain_change = plain_change(
                name, newer.change, since=full_date(older.local_on), higher_is_worse=instrument.higher_is_worse
            )
    points = [(r.local_on, float(r.total)) for r in scored if r.total is not None]
    table_id = f"history-{instrument.id}"
    return {
        "instrument": instrument,
        "responses": responses,
        "chart": score_chart(instrument, points, table_id=table_id),
        "table_id": table_id,
    }
