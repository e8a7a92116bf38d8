"""The normaliser and the catalogue's content, checked against clinical-reference §2.1–2.5."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from painmind.core.meds.catalogue import RULES_VERSION, DualUse, Medicine, catalogue_names, load_catalogue, lookup


@pytest.mark.parametrize(
    ("typed", "generic"),
    [
        ("Oxycodone ER", "oxycodone"),
        ("oxycodone hydrochloride", "oxycodone"),
        ("OXYCODONE HCl extended-release 10 mg tablets", "oxycodone"),
        ("  oxycodone  ", "oxycodone"),
        ("oxycodone oral", "oxycodone"),
        ("Hydrocodone bitartrate", "hydrocodone"),
        ("morphine sulfate", "morphine"),
        ("morphine sulphate MR", "morphine"),
        ("tramadol HCl 50mg", "tramadol"),
        ("Xanax", "alprazolam"),
        ("klonopin", "clonazepam"),
        ("Valium", "diazepam"),
        ("ATIVAN", "lorazepam"),
        ("Neurontin", "gabapentin"),
        ("Gralise", "gabapentin"),
        ("Lyrica CR", "pregabalin"),
        ("Cymbalta", "duloxetine"),
        ("Savella", "milnacipran"),
        ("Pamelor", "nortriptyline"),
        ("Nucynta ER", "tapentadol"),
        ("Demerol", "meperidine"),
        ("St. John's Wort", "st johns wort"),
        ("gabapentin-enacarbil", "gabapentin enacarbil"),
        ("fentanyl patch", "fentanyl transdermal"),
        ("Transdermal fentanyl 25 mcg/hr", "fentanyl transdermal"),
        ("fentanyl buccal tablet", "fentanyl transmucosal"),
        ("fentanyl nasal spray", "fentanyl transmucosal"),
        ("oral fentanyl", "fentanyl transmucosal"),
        ("fentanyl", "fentanyl"),
        ("methylene blue IV", "methylene blue iv"),
        ("intravenous methylene blue", "methylene blue iv"),
    ],
)
def test_normaliser_finds_the_generic(typed, generic):
    med = lookup(typed)
    assert med is not None
    assert med.generic == generic


@pytest.mark.parametrize("typed", ["OxyContin", "Percocet", "paracetamol", "methylene blue", "", "   ", "10 mg"])
def test_unknown_names_are_none(typed):
    # OxyContin/Percocet: brands the reference does not name; oral methylene blue is not the IV one.
    assert lookup(typed) is None


def known(name: str) -> Medicine:
    med = lookup(name)
    assert med is not None, name
    return med


def dual(name: str) -> DualUse:
    info = known(name).dual_use
    assert info is not None, name
    return info


def test_factors_and_units_are_the_2022_table():
    expected = {
        "codeine": 0.15,
        "fentanyl transdermal": 2.4,
        "hydrocodone": 1.0,
        "hydromorphone": 5.0,
        "methadone": 4.7,
        "morphine": 1.0,
        "oxycodone": 1.5,
        "oxymorphone": 3.0,
        "tapentadol": 0.4,
        "tramadol": 0.2,
    }
    with_factor = {name: known(name).factor for name in catalogue_names() if known(name).factor is not None}
    assert with_factor == expected
    assert known("fentanyl transdermal").factor_unit == "mcg/hr"
    assert known("tramadol").factor_unit == "mg/day"
    for name in ("buprenorphine", "meperidine", "levorphanol", "pentazocine", "butorphanol", "fentanyl transmucosal"):
        assert known(name).factor is None


def test_classes_and_unverified_marks():
    assert known("oxycodone").classes == {"opioid_mme_2022", "opioid_serotonergic"}
    assert known("oxycodone").unverified is False
    # ⚠ members in §2.5: doxepin (tca), levomilnacipran (snri), temazepam (benzodiazepine).
    for name, cls in [("doxepin", "tca"), ("levomilnacipran", "snri"), ("temazepam", "benzodiazepine")]:
        med = known(name)
        assert med.unverified is True
        assert med.unverified_classes == {cls}
    # meperidine: verified serotonergic opioid, ⚠ member of the no-factor list.
    assert known("meperidine").unverified_classes == {"opioid_no_2022_factor"}


def test_dual_use_medicines_carry_section_2_4():
    dul = dual("Cymbalta")
    assert dul.drug_class == "SNRI"
    assert "fibromyalgia" in dul.labelled_indications
    assert dul.off_label_pain_uses == ()
    mil = dual("milnacipran")
    assert mil.labelled_indications == ("fibromyalgia",)
    assert "not approved for use in the treatment of major depressive disorder" in mil.note
    ami = dual("amitriptyline")
    assert ami.labelled_indications == ("depression",)
    assert "neuropathic pain" in ami.off_label_pain_uses
    assert ami.unverified is True
    assert dual("nortriptyline").off_label_pain_uses
    for name in ("duloxetine", "milnacipran", "amitriptyline", "nortriptyline"):
        assert "suicidality" in dual(name).suicidality_warning
    assert known("sertraline").dual_use is None


def test_buprenorphine_note_is_the_reference_wording():
    assert known("buprenorphine").notes[0].startswith("Not convertible — buprenorphine (partial agonist).")


def test_catalogue_names_sorted_and_version():
    names = catalogue_names()
    assert names == sorted(names)
    assert "oxycodone" in names
    assert "xanax" not in names
    assert RULES_VERSION == "1"


def test_a_site_file_replaces_the_shipped_catalogue(tmp_path: Path):
    shipped = Path(__file__).parents[3] / "painmind/core/meds/data/rules.json"
    data = json.loads(shipped.read_text(encoding="utf-8"))
    # A site that has verified temazepam against RxClass moves it to the verified members.
    benzo = data["classes"]["benzodiazepine"]
    benzo["unverified_members"].remove("temazepam")
    benzo["members"].append("temazepam")
    data["version"] = "1-site"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    cat = load_catalogue(path)
    assert cat.version == "1-site"
    temazepam = cat.lookup("temazepam")
    assert temazepam is not None
    assert temazepam.unverified is False


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["factors"]["morphine"].update(factor=-1), "factors: morphine: 'factor' must be a positive number"),
        (lambda d: d["factors"]["morphine"].update(unit="mg"), "unit must be 'mg/day' or 'mcg/hr'"),
        (lambda d: d["rules"][0].update(second=["benzodiazepines"]), "unknown class or drug 'benzodiazepines'"),
        (lambda d: d["rules"][0].update(severity="severe"), "severity must be one of"),
        (lambda d: d["aliases"].update(foo={"generic": "nothing"}), "aliases: foo: unknown generic 'nothing'"),
    ],
)
def test_a_malformed_site_file_fails_loudly(tmp_path: Path, mutate, message):
    shipped = Path(__file__).parents[3] / "painmind/core/meds/data/rules.json"
    data = json.loads(shipped.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"rules\.json") as exc:
        load_catalogue(path)
    assert message in str(exc.value)
