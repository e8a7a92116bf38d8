"""The ASQ (NIMH Ask Suicide-Screening Questions): the follow-up screener PainMind offers after a
positive or blank PHQ-9 item 9. Questions and scoring from clinical-reference §1.8 [S25][S25c].

Self-completion in an app is this project's choice, not the screener's design (it was built
for clinician administration in medical settings; §1.8 "Use here"): it never replaces the
self-harm alert, it adds to it.

Scoring (§1.8 [S25c]):
- "No" to all of questions 1–4: negative screen (question 5 is not needed).
- "Yes" to any of 1–4, **or a refusal to answer**: positive screen.
- Question 5 "yes": acute positive (imminent risk); "no": non-acute positive.

Project rules (docs/safety.md), where the reference is silent:
- A question among 1–4 left unanswered counts as a refusal (the reference's "refusal to answer").
- Question 5 is asked after any positive screen, a refusal included: a refusal may hide a "yes",
  and only question 5 tells acute from non-acute.
- Question 5 refused or left unanswered on a positive screen counts as acute: when acuity is
  unknown the team is told as if it were acute (as a blank item 9 counts as risk unknown, §1.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

YES, NO, REFUSED = "yes", "no", "refused"
ANSWERS = (YES, NO, REFUSED)

# §1.8 items, as worded in the NIMH toolkit copy [S25][S25c].
QUESTIONS = {
    1: "In the past few weeks, have you wished you were dead?",
    2: "In the past few weeks, have you felt that you or your family would be better off if you were dead?",
    3: "In the past week, have you been having thoughts about killing yourself?",
    4: "Have you ever tried to kill yourself?",
    5: "Are you having thoughts of killing yourself right now?",
}
SCREEN_QUESTIONS = (1, 2, 3, 4)
ACUITY_QUESTION = 5

NEGATIVE, NON_ACUTE, ACUTE = "negative", "non_acute", "acute"
# Question number (1-5, as int or text) -> "yes" | "no" | "refused" | None (left blank).
AsqAnswers = Mapping[int, str | None] | Mapping[str, str | None]


class AsqError(ValueError):
    """An answer that is not "yes", "no" or "refused", or a question that does not exist."""


@dataclass(frozen=True)
class AsqResult:
    result: str  # negative | non_acute | acute
    answers: dict[str, str]  # question number (as text) -> yes | no | refused, as scored

    @property
    def positive(self) -> bool:
        return self.result != NEGATIVE


def _clean(answers: AsqAnswers) -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    for key, value in answers.items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            raise AsqError(f"question {key!r} does not exist (1-5)") from None
        if number not in QUESTIONS:
            raise AsqError(f"question {key!r} does not exist (1-5)")
        if value not in (*ANSWERS, None, ""):
            raise AsqError(f"question {number}: answer must be yes, no or refused")
        out[number] = value or None
    return out


def is_positive(answers: AsqAnswers) -> bool:
    """Whether questions 1–4 make a positive screen (any yes, refusal or blank), so question 5 is asked."""
    clean = _clean(answers)
    return any(clean.get(q) != NO for q in SCREEN_QUESTIONS)


def score_asq(answers: AsqAnswers) -> AsqResult:
    """Score a completed ASQ (keys 1–5, as ints or text; values yes / no / refused / None)."""
    clean = _clean(answers)
    screen = {q: clean.get(q) or REFUSED for q in SCREEN_QUESTIONS}
    scored = {str(q): a for q, a in screen.items()}
    if all(a == NO for a in screen.values()):
        return AsqResult(NEGATIVE, scored)
    acuity = clean.get(ACUITY_QUESTION) or REFUSED
    scored[str(ACUITY_QUESTION)] = acuity
    return AsqResult(NON_ACUTE if acuity == NO else ACUTE, scored)
