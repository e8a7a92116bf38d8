"""The medicine catalogue: what people type → a generic, its classes and its CDC 2022 MME factor.

The data lives in ``data/rules.json`` (clinical-reference §2.1–2.5, every value with its source
key and the reference's ⚠ marks); this module reads it once and answers look-ups. A site may
load its own reviewed copy with :func:`load_catalogue` and pass it to ``check()``.

Examples
--------
>>> med = lookup("Oxycodone HCl ER")
>>> med.generic, med.factor, med.factor_unit
('oxycodone', 1.5, 'mg/day')
>>> lookup("Xanax").generic, sorted(lookup("Xanax").classes)
('alprazolam', ['benzodiazepine'])
>>> lookup("fentanyl 25 mcg/hr patch").generic
'fentanyl transdermal'
>>> lookup("OxyContin") is None  # a brand the reference does not list: unknown, not checked
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from painmind.core.meds._load import build, read_json
from painmind.core.meds._model import OPIOID_ANY, Catalogue, DualUse, Medicine, Rule

__all__ = [
    "OPIOID_ANY",
    "RULES_VERSION",
    "Catalogue",
    "DualUse",
    "Medicine",
    "Rule",
    "catalogue_names",
    "default_catalogue",
    "load_catalogue",
    "lookup",
]


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read a rules file into a :class:`Catalogue`.

    Parameters
    ----------
    path
        A site's reviewed copy of ``data/rules.json`` (same format); None for the shipped file.

    Raises
    ------
    ValueError
        If the file is unreadable or malformed; the message names the file and the key.
    """
    if path is None:
        return default_catalogue()
    data, where = read_json(path)
    return build(data, where)


@cache
def default_catalogue() -> Catalogue:
    """Return the shipped catalogue (parsed once per process)."""
    data, where = read_json(None)
    return build(data, where)


RULES_VERSION: str = default_catalogue().version
"""Version of the shipped rules file; stored with every check so a result can be traced."""


def lookup(name: str) -> Medicine | None:
    """Return the medicine a typed name refers to, or None for "unknown medicine — not checked".

    Matching ignores case, spaces, punctuation and word order, and drops salts
    ("hydrochloride", "HCl", "sulfate"…), release words ("ER", "extended-release", "CR"…),
    strengths ("10 mg") and dose forms ("tablets"). Route words pick fentanyl's row ("patch" or
    "transdermal" → ``fentanyl transdermal``; "buccal", "nasal", "oral"… → ``fentanyl
    transmucosal``; plain "fentanyl" has no factor until the route is given). Brand names are
    recognised only where the clinical reference names them (Xanax, Klonopin, Valium, Ativan,
    Neurontin, Gralise, Horizant, Lyrica, Cymbalta, Savella, Pamelor, Nucynta, Demerol).

    Parameters
    ----------
    name
        What the person typed.

    Returns
    -------
    Medicine or None
        None when the catalogue does not know the name: the caller must say the medicine was not
        checked, never that it is safe.
    """
    return default_catalogue().lookup(name)


def catalogue_names() -> list[str]:
    """Return every generic name the catalogue knows, sorted (for a form's datalist)."""
    return default_catalogue().names()
