"""Reliable and clinically important change (clinical-reference §3, §1.1, §1.3, §1.5, §1.7, §1.10)."""

from __future__ import annotations

import json
import math

import pytest

from painmind.core.instruments import (
    ReliableChangeConfig,
    compare,
    load_change_config,
    pain_change,
    score,
)

K = 1.96 * math.sqrt(2)  # §3: threshold = 1.96 × √2 × SEM ≈ 2.772 × SEM
PHQ9_THRESHOLD = 6.929646455628165  # 1.96 × √2 × 2.5
GAD7_SEM = 1.16081867662439  # 3.5 × √(1 − 0.89) = 3.5 × √0.11
GAD7_THRESHOLD = 3.2176252112388726  # 1.96 × √2 × 1.16082
PEG_THRESHOLD = 3.3816674703465446  # 1.96 × √2 × 1.22


def test_shipped_config():
    config = load_change_config()
    assert set(config) == {"phq9", "gad7", "peg", "pseq"}
    assert config["phq9"].sem == 2.5
    assert config["phq9"].threshold == pytest.approx(PHQ9_THRESHOLD, abs=1e-12)
    assert config["phq9"].threshold == pytest.approx(K * 2.5)
    assert config["gad7"].sem == pytest.approx(GAD7_SEM, abs=1e-12)
    assert config["gad7"].sem == pytest.approx(3.5 * math.sqrt(0.11))
    assert config["gad7"].threshold == pytest.approx(GAD7_THRESHOLD, abs=1e-12)
    assert config["peg"].sem == 1.22
    assert config["peg"].threshold == pytest.approx(PEG_THRESHOLD, abs=1e-12)
    assert config["pseq"].threshold == pytest.approx(11.52, abs=1e-12)
    assert config["pseq"].sem == pytest.approx(11.52 / K)
    for cfg in config.values():
        assert "clinical-reference §3" in cfg.source
        assert cfg.status == "derived (◐)"
    assert "[S6]" in config["phq9"].source
    assert "[S11]" in config["gad7"].source
    assert "0.78–1.22" in config["peg"].source
    assert "[S23b]" in config["pseq"].source


def test_threshold_property():
    assert ReliableChangeConfig(sem=1.0, source="x", status="y").threshold == pytest.approx(2.7718585822512662)


@pytest.mark.parametrize(
    ("instrument_id", "before", "after", "reliable"),
    [
        # PHQ-9, threshold ≈ 6.93: 6 or 6.92 points is not reliable, 7 or 6.94 is.
        ("phq9", 10, 16, "no_reliable_change"),
        ("phq9", 10, 17, "reliable_worsening"),
        ("phq9", 17, 10, "reliable_improvement"),
        ("phq9", 16, 10, "no_reliable_change"),
        ("phq9", 10, 16.92, "no_reliable_change"),
        ("phq9", 10, 16.94, "reliable_worsening"),
        ("phq9", 10, 10 + PHQ9_THRESHOLD, "no_reliable_change"),  # equal: |RCI| = 1.96 is not > 1.96
        # GAD-7, threshold ≈ 3.22.
        ("gad7", 5, 8, "no_reliable_change"),
        ("gad7", 5, 9, "reliable_worsening"),
        ("gad7", 9, 5, "reliable_improvement"),
        ("gad7", 5, 8.21, "no_reliable_change"),
        ("gad7", 5, 8.23, "reliable_worsening"),
        # PEG (mean score), threshold ≈ 3.38.
        ("peg", 6, 2.7, "no_reliable_change"),
        ("peg", 6, 2.6, "reliable_improvement"),
        ("peg", 2.6, 6, "reliable_worsening"),
        # PSEQ, higher = better, threshold 11.52.
        ("pseq", 20, 31, "no_reliable_change"),
        ("pseq", 20, 32, "reliable_improvement"),
        ("pseq", 32, 20, "reliable_worsening"),
        ("pseq", 20, 31.52, "no_reliable_change"),
        ("pseq", 20, 31.53, "reliable_improvement"),
        # No reliable-change config.
        ("phq2", 0, 6, None),
        ("gad2", 6, 0, None),
        ("phq4", 0, 12, None),
        ("pcs", 0, 52, None),
    ],
)
def test_reliable_change(instrument_id, before, after, reliable):
    result = compare(instrument_id, before, after)
    assert result.reliable == reliable
    assert result.delta == pytest.approx(after - before)
    if reliable is None:
        assert (result.rci, result.threshold) == (None, None)


def test_rci_value():
    result = compare("phq9", 10, 17)
    assert result.rci == pytest.approx(7 / (math.sqrt(2) * 2.5))  # 1.9799
    assert result.threshold == pytest.approx(PHQ9_THRESHOLD)
    assert compare("pseq", 32, 20).rci == pytest.approx(-12 / (math.sqrt(2) * 11.52 / K))


@pytest.mark.parametrize(
    ("instrument_id", "before", "after", "mcid", "important"),
    [
        ("phq9", 10, 14, 5.0, False),
        ("phq9", 10, 15, 5.0, True),
        ("phq9", 15, 10, 5.0, True),
        ("gad7", 10, 7, 4.0, False),
        ("gad7", 10, 6, 4.0, True),
        ("pseq", 20, 25, 5.5, False),
        ("pseq", 20, 25.5, 5.5, True),
        ("pseq", 25.5, 20, 5.5, True),
        ("phq4", 2, 9, None, None),
        ("pcs", 10, 40, None, None),
        # PEG: ≥ 2 points or ≥ 30 % of the baseline (Farrar [S44], project option for the PEG).
        ("peg", 10, 8.1, 2.0, False),  # 1.9 points, 19 %
        ("peg", 10, 8, 2.0, True),  # 2 points
        ("peg", 5, 3.5, 2.0, True),  # 1.5 points = 30 % of 5
        ("peg", 5, 3.6, 2.0, False),  # 1.4 points = 28 %
        ("peg", 6, 4.2, 2.0, True),  # 1.8 = 30 % of 6 (1.7999999999999998 in floating point)
        ("peg", 6, 4.3, 2.0, False),  # 1.7 = 28.3 %
        ("peg", 0, 1.9, 2.0, False),  # no percentage of a zero baseline
        ("peg", 0, 2, 2.0, True),
        ("peg", 4, 5.2, 2.0, True),  # worsening: 1.2 = 30 % of 4
        ("peg", 4, 5.1, 2.0, False),
    ],
)
def test_clinically_important(instrument_id, before, after, mcid, important):
    result = compare(instrument_id, before, after)
    assert result.mcid == mcid
    assert result.clinically_important is important


@pytest.mark.parametrize(
    ("before", "after", "important", "percent"),
    [(6, 4, True, -100 / 3), (6, 4.2, True, -30.0), (6, 4.3, False, -170 / 6), (3, 5, True, 200 / 3),
     (0, 1, False, None), (10, 8.1, False, -19.0), (2, 1.4, True, -30.0)],
)  # fmt: skip
def test_pain_change(before, after, important, percent):
    result = pain_change(before, after)
    assert result.instrument == "pain_nrs"
    assert (result.reliable, result.rci, result.threshold, result.mcid) == (None, None, None, 2.0)
    assert result.clinically_important is important
    if percent is None:
        assert result.percent_change is None
    else:
        assert result.percent_change == pytest.approx(percent)


def test_texts():
    assert compare("phq9", 12, 20).text == (
        "Reliable worsening: up 8 points (more than the 6.9 points measurement error can explain). "
        "This is a clinically important worsening (at least 5 points)."
    )
    assert compare("phq9", 20, 14).text == (
        "No reliable change: down 6 points (no more than the 6.9 points measurement error can explain). "
        "This is a clinically important improvement (at least 5 points)."
    )
    assert compare("pseq", 20, 32).text.startswith("Reliable improvement: up 12 points (more than the 11.5 points")
    assert compare("phq4", 3, 4).text == "Up 1 point; no reliable-change threshold is set for this measure."
    assert pain_change(6, 4).text == (
        "Down 2 points or 33.3%; no reliable-change threshold is set for this measure. "
        "This is a clinically important improvement (at least 2 points or 30% of the starting score)."
    )
    assert (
        compare("gad7", 8, 8).text == "No change. This is less than a clinically important change (at least 4 points)."
    )


def test_compare_score_results():
    before = score("peg", [6, 6, 6])
    after = score("peg", [4, 4, 4])
    result = compare("PEG", before, after)
    assert (result.before, result.after, result.delta) == (6.0, 4.0, -2.0)
    assert (result.reliable, result.clinically_important) == ("no_reliable_change", True)
    prorated = score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, None])
    assert compare("phq9", score("phq9", [1] * 9), prorated).delta == 18.0


def test_cannot_compare_without_a_score():
    insufficient = score("phq9", [None] * 9)
    with pytest.raises(ValueError, match=r"^cannot compare: the before response has no score"):
        compare("phq9", insufficient, 10)
    with pytest.raises(ValueError, match=r"^cannot compare: the after response has no score"):
        compare("phq9", 10, insufficient)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("gad7", score("phq9", [0] * 9), 3), "phq9 score, not gad7"),
        (("phq9", -1, 3), "outside the phq9 range 0–27"),
        (("phq9", 3, 28), "outside the phq9 range 0–27"),
        (("peg", True, 3), "not a number"),
        (("peg", float("nan"), 3), "not a number"),
        (("xyz", 1, 2), "unknown instrument"),
    ],
)
def test_compare_errors(args, match):
    with pytest.raises(ValueError, match=match):
        compare(*args)


@pytest.mark.parametrize(("before", "after"), [(-1, 3), (3, 10.5), ("3", 4)])
def test_pain_change_errors(before, after):
    with pytest.raises(ValueError, match="cannot compare"):
        pain_change(before, after)


def test_site_config_overrides(tmp_path):
    site = tmp_path / "rc.json"
    site.write_text(
        json.dumps(
            {
                "GAD-7": {"sd": 5.0, "reliability": 0.9, "source": "local clinic sample", "status": "site"},
                "phq9": None,
                "pcs": {"sem": 2.0, "source": "local", "status": "unverified (⚠)"},
            }
        ),
        encoding="utf-8",
    )
    config = load_change_config(site)
    assert set(config) == {"gad7", "peg", "pseq", "pcs"}
    assert config["gad7"].sem == pytest.approx(5.0 * math.sqrt(0.1))
    assert config["gad7"].source == "local clinic sample"
    assert compare("phq9", 0, 20, config=config).reliable is None
    assert compare("pcs", 10, 16, config=config).reliable == "reliable_worsening"  # 6 > 2.772 × 2 = 5.54
    assert compare("gad7", 5, 9, config={}).reliable is None


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{not json", "cannot read JSON"),
        ("[]", "expected a JSON object"),
        ('{"phq8": {"sem": 1, "source": "s", "status": "s"}}', "unknown instrument 'phq8'"),
        ('{"phq9": {"sem": 1, "sd": 2, "reliability": 0.5, "source": "s", "status": "s"}}', "exactly one of"),
        ('{"phq9": {"sem": 1, "source": "s"}}', "'status' must be a string"),
        ('{"phq9": {"sem": 0, "source": "s", "status": "s"}}', "must be positive"),
        ('{"phq9": {"sd": 3, "reliability": 1, "source": "s", "status": "s"}}', "'reliability' must be"),
        ('{"phq9": {"sem": "2.5", "source": "s", "status": "s"}}', "expected a number"),
    ],
)
def test_bad_site_config_names_the_file(tmp_path, content, match):
    site = tmp_path / "bad.json"
    site.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=match) as info:
        load_change_config(site)
    assert str(site) in str(info.value)


def test_missing_site_config_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read JSON"):
        load_change_config(tmp_path / "absent.json")


def test_change_to_dict():
    data = json.loads(json.dumps(compare("phq9", 12, 20).to_dict()))
    assert data["reliable"] == "reliable_worsening"
    assert data["instrument"] == "phq9"
    assert (data["before"], data["after"], data["delta"], data["mcid"]) == (12.0, 20.0, 8.0, 5.0)
    assert data["percent_change"] == pytest.approx(800 / 12)
    assert set(data) == {"instrument", "before", "after", "delta", "rci", "threshold", "reliable", "mcid",
                         "clinically_important", "percent_change", "text"}  # fmt: skip
