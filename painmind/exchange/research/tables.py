"""The de-identified research tables, as Arrow tables (docs/exchange.md, "Research exports").

Every person is their keyed pseudonym (`core.deid.pseudonym`) and every date is moved by their
own constant shift (`core.deid.date_shift_days`); no table has free text, names, emails, notes,
tags, medicine names as typed, prescribers or clock times. The check-in table is in exactly the
shape `painmind analyze --data FILE --id-col id --time-col date` reads: one row per person and
(shifted) day, each scale the day's mean when there were several check-ins (as the site's own
analysis does, insights.analysis.diary_frame).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import pandas as pd
import pyarrow as pa
from django.conf import settings

from painmind.accounts.models import User
from painmind.core.checkin import SCALES
from painmind.core.deid import date_shift_days, pseudonym
from painmind.core.meds.catalogue import lookup
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.insights.factors import SELFCARE_COLUMNS, selfcare_frame
from painmind.meds.access import medicines_for_analysis

CHECKIN_VARIABLES: tuple[str, ...] = tuple(s.name for s in SCALES)
CHECKIN_COLUMNS: tuple[str, ...] = ("id", "date", *CHECKIN_VARIABLES)
SCORE_COLUMNS = ("id", "date", "instrument", "version", "total", "band", "status")
MEDICINE_COLUMNS = ("id", "generic", "classes", "reason", "schedule", "started_on", "stopped_on")
TOOL_COLUMNS: tuple[str, ...] = ("id", "date", *SELFCARE_COLUMNS)
TABLES = ("checkins", "scores", "medicines", "tools")


def site_secret() -> bytes:
    """The key of the pseudonyms and date shifts: PAINMIND_RESEARCH_SECRET, else one derived from
    SECRET_KEY under its own label (so it is not the key that signs sessions)."""
    own = settings.PAINMIND_RESEARCH_SECRET
    if own:
        return own.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"painmind research export", hashlib.sha256).digest()


class Keys:
    """Each person's pseudonym and date shift under the site secret, computed once per export."""

    def __init__(self, patients: Sequence[User], secret: bytes) -> None:
        self.ids = {p.pk: pseudonym(secret, p.pk) for p in patients}
        self.shifts = {p.pk: timedelta(days=date_shift_days(secret, p.pk)) for p in patients}

    def shifted(self, pid: int, day: date | None) -> date | None:
        return None if day is None else day + self.shifts[pid]


def research_tables(patients: Sequence[User], *, secret: bytes | None = None) -> dict[str, pa.Table]:
    """The four tables for these (already access-checked and audited) patients, by name."""
    keys = Keys(patients, site_secret() if secret is None else secret)
    builders: dict[str, Callable[[Keys], pa.Table]] = {
        "checkins": checkin_table,
        "scores": score_table,
        "medicines": medicine_table,
        "tools": tool_table,
    }
    return {name: builders[name](keys) for name in TABLES}


def checkin_table(keys: Keys) -> pa.Table:
    """id, date, then every check-in scale (float64, null where not recorded): the day's mean."""
    columns = ["patient_id", "local_on", *CHECKIN_VARIABLES]
    rows = CheckIn.objects.filter(patient_id__in=list(keys.ids)).values_list(*columns)
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    frame[list(CHECKIN_VARIABLES)] = frame[list(CHECKIN_VARIABLES)].astype("float64")
    daily = frame.groupby(["patient_id", "local_on"], as_index=False, sort=True).mean()
    ids = [keys.ids[pid] for pid in daily["patient_id"]]
    days = [keys.shifted(pid, day) for pid, day in zip(daily["patient_id"], daily["local_on"], strict=True)]
    arrays = [pa.array(ids, pa.string()), pa.array(days, pa.date32())]
    arrays += [pa.array(daily[v].to_numpy(), pa.float64(), from_pandas=True) for v in CHECKIN_VARIABLES]
    return _sorted(pa.table(arrays, names=list(CHECKIN_COLUMNS)))


def score_table(keys: Keys) -> pa.Table:
    """One row per questionnaire response: instrument, version, total, band and scoring status."""
    rows = list(
        QuestionnaireResponse.objects.filter(patient_id__in=list(keys.ids))
        .order_by("patient_id", "completed_at", "pk")
        .values_list("patient_id", "local_on", "instrument", "version", "total", "band", "status")
    )
    return _sorted(
        pa.table(
            {
                "id": pa.array([keys.ids[r[0]] for r in rows], pa.string()),
                "date": pa.array([keys.shifted(r[0], r[1]) for r in rows], pa.date32()),
                **{
                    name: pa.array([r[i] for r in rows], pa.float64() if name == "total" else pa.string())
                    for i, name in enumerate(SCORE_COLUMNS[2:], start=2)
                },
            }
        )
    )


def medicine_table(keys: Keys) -> pa.Table:
    """One row per regimen: the catalogue's generic and classes (null for a medicine it does not
    know: the name as typed may be anything), why and how it is taken, shifted start and stop."""
    regimens, _ = medicines_for_analysis(list(keys.ids))
    rows = []
    for r in sorted(regimens, key=lambda r: (r.patient_id, r.started_on, r.pk)):
        med = lookup(r.generic) if r.generic else None
        rows.append(
            (
                keys.ids[r.patient_id],
                med.generic if med else None,
                ";".join(sorted(med.classes)) if med else None,
                r.reason,
                r.schedule,
                keys.shifted(r.patient_id, r.started_on),
                keys.shifted(r.patient_id, r.stopped_on),
            )
        )
    types = [pa.string()] * 5 + [pa.date32()] * 2
    return _sorted(
        pa.table([pa.array([r[i] for r in rows], t) for i, t in enumerate(types)], names=list(MEDICINE_COLUMNS))
    )


def tool_table(keys: Keys) -> pa.Table:
    """One row per person and day with any self-care tool use or lifestyle value (the factors
    "what helps me" reads: relaxation done, thought record written, pacing quota met, …)."""
    frame = selfcare_frame(list(keys.ids))
    pids = [int(p) for p in frame["patient_id"]]
    days = [d.date() for d in frame["local_on"]]
    arrays = [
        pa.array([keys.ids[p] for p in pids], pa.string()),
        pa.array([keys.shifted(p, d) for p, d in zip(pids, days, strict=True)], pa.date32()),
    ]
    arrays += [pa.array(frame[c].to_numpy(), pa.float64(), from_pandas=True) for c in SELFCARE_COLUMNS]
    return _sorted(pa.table(arrays, names=list(TOOL_COLUMNS)))


def _sorted(table: pa.Table) -> pa.Table:
    # By pseudonym (then date): row order must not follow internal ids or sign-up order.
    keys = [("id", "ascending")] + ([("date", "ascending")] if "date" in table.column_names else [])
    return table.sort_by(keys)
