"""From what people type to a lookup key: case, punctuation, word order, salts, release words, doses.

"Oxycodone HCl ER 10 mg tablets", "oxycodone hydrochloride" and "OXYCODONE" all give the key
``"oxycodone"``. Route words are kept for a first try, because they decide fentanyl's factor
(a patch has one, transmucosal fentanyl has none: clinical-reference §2.1), and dropped for a
last try, so "oxycodone oral" still finds oxycodone. The words below are naming conventions,
not clinical facts.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Salt and ester names that follow the active moiety ("oxycodone hydrochloride").
SALTS = _words(
    "hydrochloride hcl hydrobromide hbr sulfate sulphate phosphate bitartrate tartrate citrate sodium "
    "potassium calcium carbonate maleate mesylate mesilate besylate besilate succinate fumarate acetate "
    "bromide chloride napsylate oxalate tosylate hyclate hydrate monohydrate dihydrate pamoate lactate base salt"
)
# Release and duration words ("ER", "extended-release", "Lyrica CR").
RELEASE = _words(
    "er sr xr xl ir cr la dr mr cd xt extended modified controlled immediate sustained delayed prolonged "
    "release released acting long short retard"
)
# Dose forms: dropped on the second try.
FORMS = _words(
    "tablet tablets tab tabs capsule capsules cap caps solution liquid syrup suspension elixir drops "
    "spray film films lozenges granules powder cream gel prn po"
)
# Routes: dropped only on the last try (they pick fentanyl's row first).
ROUTES = _words(
    "oral by mouth iv intravenous injection injectable buccal sublingual nasal transdermal patch patches "
    "lozenge topical"
)
# Strength and unit tokens ("10", "10mg", "mcg", "hr").
_DOSE = re.compile(r"^\d+(?:\.\d+)?(?:mg|mcg|ug|g|ml|mgs|mcgs)?$|^(?:mg|mcg|ug|g|ml|hr|h|hour|hours|day|per)$")


def tokens(text: str) -> list[str]:
    """Return the lower-case words of ``text`` without salts, release words or strengths."""
    text = text.lower().replace("µ", "u").replace("μ", "u")
    text = re.sub(r"['’‘`]", "", text)  # "St John's wort" -> "st johns wort"
    words = re.sub(r"[^a-z0-9.]+", " ", text).split()
    words = [w.strip(".") for w in words]
    return [w for w in words if w and w not in SALTS and w not in RELEASE and not _DOSE.match(w)]


def key(words: list[str]) -> str:
    """Return the order-insensitive key for a list of words."""
    return " ".join(sorted(words))


def name_key(name: str) -> str:
    """Return the key a catalogue name or alias is stored under."""
    return key(tokens(name))


def candidate_keys(text: str) -> list[str]:
    """Return the keys to try for typed text, most specific first."""
    words = tokens(text)
    no_form = [w for w in words if w not in FORMS]
    bare = [w for w in no_form if w not in ROUTES]
    out: list[str] = []
    for ws in (words, no_form, bare):
        k = key(ws)
        if k and k not in out:
            out.append(k)
    return out
