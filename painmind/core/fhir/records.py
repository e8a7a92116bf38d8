"""The plain data the FHIR builders take and the reader gives back (no Django, no FHIR library)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from painmind.core.instruments import Instrument
from painmind.core.meds.check import Item


@dataclass(frozen=True)
class PatientRecord:
    """Who the Bundle is about: a pseudonym (stable per site), a name only when asked for."""

    pseudonym: str
    name: str | None = None


@dataclass(frozen=True)
class ResponseRecord:
    """One completed questionnaire: one answer (or None) per item of ``instrument.items``."""

    key: str  # stable local key, e.g. the row id; becomes part of the resource id
    instrument: Instrument
    answers: tuple[int | None, ...]
    completed_at: datetime  # aware
    total: float | None  # None when too many items were blank to score
    band: str = ""
    prorated: bool = False


@dataclass(frozen=True)
class CheckInRecord:
    """One diary entry's numeric values (blank fields left out)."""

    key: str
    recorded_at: datetime  # aware
    values: Mapping[str, int | float]


@dataclass(frozen=True)
class MedicationRecord:
    """One regimen and how it stands (`core.meds.fhir.medication_statement` builds it)."""

    key: str
    item: Item
    status: str
    date_asserted: datetime | date | None = None
    self_reported: bool = True
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class GoalRecord:
    """A care-plan goal. ``measure`` is an instrument id or a check-in field ("" for none)."""

    key: str
    description: str
    status: str  # active | achieved | not_achieved | stopped
    measure: str = ""
    comparator: str = ""  # lt | le | ge | gt
    target: float | None = None
    target_on: date | None = None


@dataclass(frozen=True)
class ActivityRecord:
    """One care-plan intervention: what is done, by which strategy, and how it stands."""

    title: str
    strategy: str
    status: str  # planned | active | paused | completed | stopped


@dataclass(frozen=True)
class PatientData:
    """Everything one Bundle holds for one patient."""

    patient: PatientRecord
    responses: list[ResponseRecord] = field(default_factory=list)
    checkins: list[CheckInRecord] = field(default_factory=list)
    medications: list[MedicationRecord] = field(default_factory=list)
    goals: list[GoalRecord] = field(default_factory=list)
    activities: list[ActivityRecord] = field(default_factory=list)
