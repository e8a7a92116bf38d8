"""`painmind meds check`: the issue's example end to end, and bad input → one line, exit 2, nothing written.

Runs in-process (fast) and as a subprocess (`python -m painmind meds check …`) without Django.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from painmind.core.meds.cli import main

ROOT = Path(__file__).parents[3]

# The example from issue 12, checked on 2026-12-06.
ISSUE_INPUT = [
    {"drug": "oxycodone", "dose": 10, "unit": "mg", "times_per_day": 2},
    {"drug": "fentanyl transdermal", "dose": 25, "unit": "mcg/hr"},
    {"drug": "tramadol", "dose": 50, "unit": "mg", "as_needed": True, "max_per_day": 4},
    {"drug": "phenelzine", "dose": 15, "unit": "mg", "times_per_day": 3, "stopped_on": "2026-11-30"},
]


def row(drug, classes, daily, unit, factor, mme, logged, reason=None, status="current", as_needed=False):
    return {
        "drug": drug, "generic": drug, "classes": classes, "status": status, "as_needed": as_needed,
        "daily_dose": daily, "unit": unit, "factor": factor, "mme": mme, "mme_logged": logged,
        "reason": reason, "unverified": False,
    }  # fmt: skip


OPIOID = ["opioid_mme_2022", "opioid_serotonergic"]
MME_DRUGS = ["oxycodone", "fentanyl transdermal", "tramadol"]
# By hand: oxycodone 10 mg × 2 = 20 mg × 1.5 = 30; fentanyl 25 mcg/hr × 2.4 = 60; tramadol as needed
# at its maximum 4 × 50 mg = 200 mg × 0.2 = 40 (no log count → no logged total); phenelzine
# stopped 6 days before: not counted, but inside R5b's 14-day window. 30 + 60 + 40 = 130 ≥ 90.
ISSUE_OUTPUT = {
    "rules_version": "1",
    "on": "2026-12-06",
    "mme_per_day": 130.0,
    "mme_complete": True,
    "mme_text": "130 MME/day",
    "missing_factor": [],
    "mme_logged_per_day": None,
    "not_checked": [],
    "rows": [
        row("oxycodone", OPIOID, 20.0, "mg/day", 1.5, 30.0, 30.0),
        row("fentanyl transdermal", OPIOID, 25.0, "mcg/hr", 2.4, 60.0, 60.0),
        row("tramadol", OPIOID, 200.0, "mg/day", 0.2, 40.0, None, as_needed=True),
        row("phenelzine", ["maoi"], 45.0, "mg/day", None, None, None, "stopped on 2026-11-30 — not counted", "stopped"),
    ],
    "rules": [
        {
            "rule_id": "R5b_maoi_contraindicated",
            "severity": "contraindicated",
            "basis": "tramadol label [S38]",
            "action": None,
            "drugs": ["tramadol", "phenelzine"],
            "unverified": True,
            "note": "Non-US (MIMS) label text; the US label wording is unchecked (clinical-reference §2.3). "
            "Tapentadol/meperidine + MAOI not retrieved: not in this rule.",
        },
        {
            "rule_id": "R4b_mme_90",
            "severity": "moderate-high",
            "basis": "CDC 2016 Rec 5 verbatim; 2022 no hard limit",
            "action": "prompt justification/review; NOT a block",
            "drugs": MME_DRUGS,
            "unverified": False,
            "note": None,
        },
        {
            "rule_id": "R4_mme_50",
            "severity": "moderate",
            "basis": "CDC 2022 text [S33][S34]",
            "action": "prompt reassessment + naloxone offer; NOT a block",
            "drugs": MME_DRUGS,
            "unverified": False,
            "note": None,
        },
    ],
}


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_issue_example_in_process(tmp_path: Path):
    path = tmp_path / "meds.json"
    path.write_text(json.dumps(ISSUE_INPUT), encoding="utf-8")
    code, out, err = run([str(path), "--on", "2026-12-06"])
    assert (code, err) == (0, "")
    assert json.loads(out) == ISSUE_OUTPUT
    # Stable order: keys come out in the documented order.
    assert list(json.loads(out)) == list(ISSUE_OUTPUT)


def test_stdin_and_verified_only():
    code, out, _ = run(["-", "--on", "2026-12-06", "--verified-only"], json.dumps(ISSUE_INPUT))
    assert code == 0
    # R5b is marked ⚠ in the reference: ignored when only verified rules count.
    assert [h["rule_id"] for h in json.loads(out)["rules"]] == ["R4b_mme_90", "R4_mme_50"]


def test_site_rules_file(tmp_path: Path):
    data = json.loads((ROOT / "painmind/core/meds/data/rules.json").read_text(encoding="utf-8"))
    data["version"] = "site-7"
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(["-", "--on", "2026-12-06", "--rules", str(rules)], "[]")
    assert code == 0
    assert json.loads(out)["rules_version"] == "site-7"


BAD = [
    (
        '[{"drug": "tramadol", "dose": -50, "unit": "mg", "times_per_day": 1}]',
        [],
        "item 1 (tramadol): dose: must be greater than 0",
    ),
    (
        '[{"drug": "tramadol", "dose": 50, "unit": "tabs", "times_per_day": 1}]',
        [],
        "item 1 (tramadol): unit: unknown unit 'tabs'",
    ),
    ('[{"drug": "tramadol", "unit": "mg", "times_per_day": 1}]', [], "item 1 (tramadol): dose: is required"),
    ('{"drug": "tramadol"}', [], "input: must be a JSON list of medicines"),
    ("[{]", [], "input: not JSON"),
    ("[]", ["--on", "2026-02-30"], "argument --on: must be a date YYYY-MM-DD, got '2026-02-30'"),
    ("[]", ["--bogus"], "unrecognized arguments: --bogus"),
]


@pytest.mark.parametrize(("stdin", "extra", "message"), BAD)
def test_bad_input_one_line_exit_2_nothing_on_stdout(stdin, extra, message):
    code, out, err = run(["-", *extra], stdin)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"painmind meds check: {message}")


def test_missing_file():
    code, out, err = run(["/nonexistent/meds.json"])
    assert (code, out) == (2, "")
    assert err == "painmind meds check: cannot read /nonexistent/meds.json: No such file or directory\n"


def _subprocess(args: list[str], stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # No Django settings and no PainMind configuration: the command must not need them.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PAINMIND"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "painmind", "meds", "check", *args],
        input=stdin, capture_output=True, text=True, cwd=cwd, env=env, check=False, timeout=60,
    )  # fmt: skip


@pytest.mark.slow
def test_subprocess_issue_example_and_bad_input_write_nothing(tmp_path: Path):
    ok = _subprocess(["-", "--on", "2026-12-06"], json.dumps(ISSUE_INPUT), tmp_path)
    assert (ok.returncode, ok.stderr) == (0, "")
    assert json.loads(ok.stdout) == ISSUE_OUTPUT
    bad = _subprocess(["-"], '[{"drug": "oxycodone", "dose": 10, "unit": "mg"}]', tmp_path)
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr == (
        "painmind meds check: item 1 (oxycodone): times_per_day: is required "
        "(or every_hours, or as_needed with max_per_day)\n"
    )
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.slow
def test_command_does_not_import_django():
    code = (
        "import atexit, sys; atexit.register(lambda: print('django' in sys.modules, file=sys.stderr)); "
        "from painmind.cli import main; main(['meds', 'check', '-', '--on', '2026-12-06'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input="[]", capture_output=True, text=True, check=False, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0
    assert out.stderr.strip() == "False"
