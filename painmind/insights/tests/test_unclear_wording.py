"""A finding that is not clear never reads as if it could go either way when its interval does not
(judge rule 4: the interval shown is 95 %, the test allows for every link looked at)."""

from __future__ import annotations

from painmind.core.cycle.judge import Verdict
from painmind.insights.phrasing import Voice, cycle_statement


def test_a_one_sided_interval_that_did_not_pass_says_which_way_it_leans():
    v = Verdict("pain->mood", -0.2, -0.4, -0.04, False, None, 0, 107)
    s = cycle_statement(v, "pain", "mood", Voice.you())
    assert s.text == (
        "Not clear yet: your mood the next day may tend to be lower after more pain (likely between 0.4 lower "
        "and 0.04 lower, from 107 pairs of days), but not clearly enough once we allow for all the links we "
        "looked at."
    )
    assert "higher or lower" not in s.text
    assert not s.clear
    them = cycle_statement(Verdict("mood->pain", -0.15, -0.3, -0.02, False, None, 0, 90), "mood", "pain",
                           Voice.them("Alex Demo"))  # fmt: skip
    assert them.text.startswith("Not clear yet: their pain the next day may tend to be lower the day after better mood")


def test_an_interval_across_zero_keeps_the_either_way_sentence():
    v = Verdict("pain->mood", -0.18, -0.4, 0.04, False, None, 0, 107)
    s = cycle_statement(v, "pain", "mood", Voice.you())
    assert s.text == (
        "Not clear yet whether your mood the next day tends to be higher or lower after more pain "
        "(likely between 0.4 lower and 0.04 higher, from 107 pairs of days)."
    )
