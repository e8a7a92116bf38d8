"""Properties over every instrument: range, monotonicity, band contains total."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painmind.core.instruments import INSTRUMENT_IDS, get_instrument, score

FAST = settings(max_examples=60, deadline=None, database=None)


def complete_answers(instrument_id):
    inst = get_instrument(instrument_id)
    return st.tuples(*(st.integers(i.min_value, i.max_value) for i in inst.scored_items)).map(list)


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
@FAST
@given(data=st.data())
def test_complete_vectors_score_in_range_and_in_their_band(instrument_id, data):
    inst = get_instrument(instrument_id)
    answers = data.draw(complete_answers(instrument_id))
    result = score(inst, answers)
    assert result.status == "complete"
    assert result.total is not None
    assert inst.score_min <= result.total <= inst.score_max
    if inst.bands:
        assert result.band is not None
        assert result.band.lo <= result.total <= result.band.hi
    else:
        assert result.band is None


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
@FAST
@given(data=st.data())
def test_raising_one_answer_never_lowers_the_total(instrument_id, data):
    inst = get_instrument(instrument_id)
    answers = data.draw(complete_answers(instrument_id))
    index = data.draw(st.integers(0, len(answers) - 1))
    top = inst.scored_items[index].max_value
    raised = list(answers)
    raised[index] = data.draw(st.integers(answers[index], top))
    low, high = score(inst, answers).total, score(inst, raised).total
    assert low is not None
    assert high is not None
    assert high >= low


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
@FAST
@given(data=st.data())
def test_blanks_give_a_total_in_range_or_none(instrument_id, data):
    inst = get_instrument(instrument_id)
    answers = data.draw(complete_answers(instrument_id))
    blanks = data.draw(st.sets(st.integers(0, len(answers) - 1)))
    with_blanks = [None if i in blanks else v for i, v in enumerate(answers)]
    result = score(inst, with_blanks)
    assert result.n_missing == len(blanks)
    if result.total is None:
        assert result.status == "insufficient"
    else:
        assert inst.score_min <= result.total <= inst.score_max
        assert result.status == ("prorated" if blanks else "complete")
