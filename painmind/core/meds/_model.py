"""The catalogue's dataclasses: a medicine, its dual-use facts, a rule, and the catalogue itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from painmind.core.meds._normalise import candidate_keys

OPIOID_ANY = "opioid_*"


@dataclass(frozen=True)
class DualUse:
    """A medicine that treats both pain and depression/anxiety (clinical-reference §2.4).

    Attributes
    ----------
    drug_class
        ``"SNRI"`` or ``"TCA"``.
    labelled_indications
        The US FDA-labelled indications.
    off_label_pain_uses
        Pain uses that are off-label in the US (empty when the pain use is labelled).
    note
        One sentence for the regimen page (e.g. milnacipran: fibromyalgia only in the US).
    suicidality_warning
        The antidepressant suicidality boxed warning all four carry, for the item-9 workflow.
    source
        Source key in the clinical reference.
    unverified
        True where the reference marks the fact ⚠ (amitriptyline's label sentence).
    """

    drug_class: str
    labelled_indications: tuple[str, ...]
    off_label_pain_uses: tuple[str, ...]
    note: str
    suicidality_warning: str
    source: str
    unverified: bool


@dataclass(frozen=True)
class Medicine:
    """A medicine the catalogue knows: its generic name, classes and MME factor.

    Attributes
    ----------
    generic
        Lower-case generic name as in the reference (``"fentanyl transdermal"``,
        ``"gabapentin enacarbil"``, ``"st johns wort"``).
    classes
        Class ids from clinical-reference §2.5 (``"opioid_mme_2022"``, ``"benzodiazepine"``…),
        including memberships the reference marks ⚠.
    factor
        CDC 2022 MME conversion factor (§2.1), or None when the medicine has none (buprenorphine,
        meperidine, non-opioids…).
    factor_unit
        What the factor multiplies: ``"mg/day"``, or ``"mcg/hr"`` for fentanyl patches only.
    dual_use
        §2.4 facts for duloxetine, milnacipran, amitriptyline and nortriptyline; else None.
    notes
        Cautions to show with the medicine (CDC table footnotes, the buprenorphine note…).
    unverified
        True when any class membership is marked ⚠ in the reference (a standard class member not
        seen in a retrieved source): show it, and verify it before release.
    unverified_classes
        Which of ``classes`` are ⚠ memberships.
    """

    generic: str
    classes: frozenset[str]
    factor: float | None
    factor_unit: Literal["mg/day", "mcg/hr"] | None
    dual_use: DualUse | None
    notes: tuple[str, ...]
    unverified: bool
    unverified_classes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_opioid(self) -> bool:
        """True when the medicine is in any opioid class (the rules' ``opioid_*``)."""
        return any(c.startswith("opioid_") for c in self.classes)


@dataclass(frozen=True)
class Rule:
    """One row of the rules table (clinical-reference §2.5), as data.

    ``kind`` says how it is evaluated: ``"pair"`` (a medicine matching ``first`` together with
    a different one matching ``second``; a side is a class id, ``"opioid_*"`` or ``"=generic"``),
    ``"mme_at_least"`` (total MME/day ≥ ``threshold``), ``"buprenorphine"`` or
    ``"unknown_factor"``. ``window_days`` lets a stopped medicine on the ``second`` side count for
    that many days after ``stopped_on`` (R5b's MAOI window).
    """

    id: str
    kind: str
    severity: str
    basis: str | None
    action: str | None
    unverified: bool
    unverified_note: str | None
    first: tuple[str, ...] = ()
    second: tuple[str, ...] = ()
    threshold: float | None = None
    window_days: int | None = None


@dataclass(frozen=True)
class Catalogue:
    """Every medicine, alias and rule of one rules file (see :func:`load_catalogue`)."""

    version: str
    medicines: Mapping[str, Medicine]
    aliases: Mapping[str, str]
    rules: tuple[Rule, ...]

    def lookup(self, name: str) -> Medicine | None:
        """Return the medicine ``name`` refers to, or None (unknown medicine — not checked)."""
        if not isinstance(name, str):
            return None
        for k in candidate_keys(name):
            generic = self.aliases.get(k)
            if generic is not None:
                return self.medicines[generic]
        return None

    def names(self) -> list[str]:
        """Return every generic name, sorted, for a form's datalist."""
        return sorted(self.medicines)
