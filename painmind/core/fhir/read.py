"""A FHIR R4 Bundle back into plain records: QuestionnaireResponses and diary Observations.

Everything is checked before anything is returned, and every problem is collected with the
place it was found, ``entry[3].resource.authored``, so a person can fix a file in one pass.
Only what PainMind records is read back:

- a QuestionnaireResponse whose ``questionnaire`` is one of the site's instruments (its canonical
  URL, with or without ``|version``); answers by linkId, as the LOINC answer code or the number;
- an Observation coded as a check-in field (`codes.DIARY_CODES`, LOINC or local code). The
  Observations sharing one ``effectiveDateTime`` form one check-in, which needs pain and mood.

PROJECT RULE (docs/exchange.md, FHIR): score Observations (a total, or anything derived from a
QuestionnaireResponse) are skipped: PainMind scores the answers itself. Patients,
MedicationStatements, Goals and CarePlans are skipped too, and so is the subject of each
resource: an import always goes to the person importing. Skipped entries are reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from painmind.core.checkin import SCALE_BY_NAME
from painmind.core.fhir.codes import CHECKIN_SYSTEM, DIARY_CODES, LOINC, SCORE_SYSTEM
from painmind.core.instruments import Instrument, Item

# Observation.status (R4 value set); the first three are results PainMind imports.
IMPORTED_STATUSES = ("final", "amended", "corrected")
R4_OBSERVATION_STATUSES = (*IMPORTED_STATUSES, "registered", "preliminary", "cancelled", "entered-in-error", "unknown")
RESPONSE_STATUSES = ("completed", "amended")


class BundleError(ValueError):
    """A Bundle that cannot be imported: `errors` maps a place (``entry[2].resource.item[0]``)
    to its reasons; ``str(exc)`` is one line with the count and the first problem."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        first = next(iter(errors))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}: {' '.join(errors[first])}{more}")


@dataclass(frozen=True)
class ImportedResponse:
    entry: int
    instrument: Instrument
    answers: dict[str, int]  # linkId → value; blank items are absent
    completed_at: datetime


@dataclass(frozen=True)
class ImportedCheckIn:
    entries: tuple[int, ...]
    recorded_at: datetime
    values: dict[str, int | float]


@dataclass(frozen=True)
class Skipped:
    entry: int
    resource_type: str
    reason: str


@dataclass
class BundleContents:
    responses: list[ImportedResponse] = field(default_factory=list)
    checkins: list[ImportedCheckIn] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def parse_instant(value: object) -> datetime | None:
    """A FHIR dateTime with a time and a zone as an aware datetime; None for anything else."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


class _Reader:
    def __init__(self, instruments: Mapping[str, Instrument]) -> None:
        self.errors: dict[str, list[str]] = {}
        self.by_url: dict[str, Instrument] = {}
        self.score_codes: set[str] = set()
        for instrument in instruments.values():
            q = instrument.questionnaire()
            self.by_url[str(q["url"])] = instrument
            self.score_codes.update(c for c in (instrument.score_code, instrument.code) if c)
        self.diary_loinc = {c.loinc: c.field for c in DIARY_CODES if c.loinc}
        self.diary_local = {c.field for c in DIARY_CODES}
        self.out = BundleContents()
        self.pending: dict[datetime, dict[str, tuple[int, int | float | None]]] = {}

    def fail(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)

    # --- QuestionnaireResponse -----------------------------------------------------------------
    def response(self, n: int, res: Mapping[str, object]) -> None:
        at = f"entry[{n}].resource"
        url = res.get("questionnaire")
        instrument = None
        if isinstance(url, str):
            base, _, version = url.partition("|")
            instrument = self.by_url.get(base)
            if instrument is not None and version and version != instrument.version:
                self.fail(
                    f"{at}.questionnaire",
                    f"version {version!r} of {base} is not known (this site has {instrument.version!r})",
                )
                return
        if instrument is None:
            known = ", ".join(sorted(self.by_url))
            self.fail(f"{at}.questionnaire", f"{url!r} is not a questionnaire this site records; known: {known}")
            return
        if res.get("status") not in RESPONSE_STATUSES:
            self.fail(f"{at}.status", f"must be one of {', '.join(RESPONSE_STATUSES)} (got {res.get('status')!r})")
        when = parse_instant(res.get("authored"))
        if when is None:
            self.fail(f"{at}.authored", "must be a date and time with a time zone, e.g. 2025-01-15T09:30:00Z")
        answers: dict[str, int] = {}
        self.items(instrument, res.get("item", []), f"{at}.item", answers)
        if when is not None:
            self.out.responses.append(ImportedResponse(n, instrument, answers, when))

    def items(self, instrument: Instrument, items: object, at: str, answers: dict[str, int]) -> None:
        if not isinstance(items, list):
            self.fail(at, "must be a list")
            return
        known = {item.link_id: item for item in instrument.items}
        for i, node in enumerate(items):
            where = f"{at}[{i}]"
            if not isinstance(node, dict):
                self.fail(where, "must be an object")
                continue
            if "item" in node:  # a group: its questions are read as if listed here
                self.items(instrument, node["item"], f"{where}.item", answers)
            link_id = node.get("linkId")
            given = node.get("answer") or []
            item = known.get(str(link_id))
            if item is None:
                if given:  # totals and display items carry no answer PainMind keeps
                    self.fail(
                        f"{where}.linkId",
                        f"{link_id!r} is not a question of {instrument.id}; known: {', '.join(known)}",
                    )
                continue
            if not isinstance(given, list) or len(given) > 1:
                self.fail(f"{where}.answer", "must hold at most one answer")
                continue
            if not given:
                continue
            if link_id in answers:
                self.fail(f"{where}.linkId", f"{link_id!r} is answered twice")
                continue
            value = self.answer_value(item, given[0], f"{where}.answer[0]")
            if value is not None:
                answers[item.link_id] = value

    def answer_value(self, item: Item, answer: object, where: str) -> int | None:
        if not isinstance(answer, dict):
            self.fail(where, "must be an object")
            return None
        allowed = {o.value for o in item.options}
        if "valueCoding" in answer:
            coding = answer["valueCoding"]
            code = coding.get("code") if isinstance(coding, dict) else None
            system = coding.get("system", LOINC) if isinstance(coding, dict) else None
            match = [o.value for o in item.options if o.code is not None and o.code == code and system == LOINC]
            if not match:
                codes = ", ".join(o.code for o in item.options if o.code)
                self.fail(f"{where}.valueCoding", f"{item.label}: {code!r} is not one of its answer codes ({codes})")
                return None
            return match[0]
        if "valueInteger" in answer:
            value = answer["valueInteger"]
            if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
                self.fail(
                    f"{where}.valueInteger",
                    f"{item.label}: {value!r} is not an allowed answer ({item.min_value}–{item.max_value})",
                )
                return None
            return int(value)
        self.fail(where, f"{item.label}: give valueCoding (a LOINC answer code) or valueInteger")
        return None

    # --- Observation ---------------------------------------------------------------------------
    def observation(self, n: int, res: Mapping[str, object]) -> None:
        at = f"entry[{n}].resource"
        code = res.get("code")
        found = code.get("coding", []) if isinstance(code, dict) else []
        codings: list[dict[str, object]] = [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []
        derived = res.get("derivedFrom") or []
        from_response = isinstance(derived, list) and any(
            isinstance(d, dict) and str(d.get("reference", "")).startswith("QuestionnaireResponse/") for d in derived
        )
        is_score = from_response or any(
            (c.get("system") == SCORE_SYSTEM) or (c.get("system") == LOINC and c.get("code") in self.score_codes)
            for c in codings
        )
        if is_score:
            self.out.skipped.append(Skipped(n, "Observation", "a score: PainMind scores the answers itself"))
            return
        fields = {str(c.get("code")) for c in codings if c.get("system") == CHECKIN_SYSTEM} & self.diary_local
        fields |= {
            self.diary_loinc[str(c.get("code"))]
            for c in codings
            if c.get("system") == LOINC and c.get("code") in self.diary_loinc
        }
        if len(fields) != 1:
            accepted = ", ".join(f"{c.field} ({c.loinc or 'local code ' + c.field})" for c in DIARY_CODES)
            reason = "codes more than one check-in field" if fields else "is not a check-in field PainMind records"
            self.fail(f"{at}.code", f"{reason}; accepted: {accepted}")
            return
        name = fields.pop()
        status = res.get("status")
        if status not in R4_OBSERVATION_STATUSES:
            self.fail(
                f"{at}.status", f"{status!r} is not an R4 Observation status ({', '.join(R4_OBSERVATION_STATUSES)})"
            )
            return
        if status not in IMPORTED_STATUSES:
            self.out.skipped.append(
                Skipped(n, "Observation", f"status {status!r}: only {', '.join(IMPORTED_STATUSES)} are imported")
            )
            return
        when = parse_instant(res.get("effectiveDateTime"))
        if when is None:
            self.fail(f"{at}.effectiveDateTime", "must be a date and time with a time zone, e.g. 2025-01-15T20:00:00Z")
        value = self.observation_value(name, res, at)
        if when is None:
            return
        group = self.pending.setdefault(when, {})
        if name in group:
            self.fail(
                f"{at}.code", f"{name} is given twice for {res.get('effectiveDateTime')} (also entry[{group[name][0]}])"
            )
            return
        group[name] = (n, value)

    def observation_value(self, name: str, res: Mapping[str, object], at: str) -> int | float | None:
        code = next(c for c in DIARY_CODES if c.field == name)
        scale = SCALE_BY_NAME[name]
        value: object
        if code.value == "quantity":
            quantity = res.get("valueQuantity")
            if not isinstance(quantity, dict):
                self.fail(f"{at}.valueQuantity", f"{name}: a quantity in {code.unit} is required")
                return None
            if quantity.get("code", quantity.get("unit")) != code.unit:
                self.fail(f"{at}.valueQuantity.code", f"{name}: the unit must be {code.unit!r} (UCUM)")
                return None
            value, where = quantity.get("value"), f"{at}.valueQuantity.value"
        else:
            value, where = res.get("valueInteger"), f"{at}.valueInteger"
            quantity = res.get("valueQuantity")
            if value is None and isinstance(quantity, dict):
                value, where = quantity.get("value"), f"{at}.valueQuantity.value"
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, f"{name}: a number is required")
            return None
        if scale.kind == "int" and value != int(value):
            self.fail(where, f"{name}: must be a whole number")
            return None
        if not scale.lo <= value <= scale.hi:
            self.fail(where, f"{name}: must be between {scale.lo:g} and {scale.hi:g}")
            return None
        return int(value) if scale.kind == "int" else float(value)

    def finish(self) -> None:
        required = [s.name for s in SCALE_BY_NAME.values() if s.required]
        for when in sorted(self.pending):
            group = self.pending[when]
            missing = [name for name in required if name not in group]
            entries = tuple(sorted(n for n, _ in group.values()))
            if missing:
                self.fail(
                    f"entry[{entries[0]}].resource.effectiveDateTime",
                    f"a check-in needs {' and '.join(required)} at the same time;"
                    f" {when.isoformat()} has no {', '.join(missing)}",
                )
                continue
            order = [c.field for c in DIARY_CODES]
            values = {name: group[name][1] for name in order if name in group}
            if any(v is None for v in values.values()):
                continue  # a bad value, reported where it was found
            self.out.checkins.append(ImportedCheckIn(entries, when, {k: v for k, v in values.items() if v is not None}))


def read_bundle(data: object, *, instruments: Mapping[str, Instrument]) -> BundleContents:
    """Read a Bundle (parsed JSON) into responses and check-ins; `BundleError` on any problem.

    `instruments` are the questionnaires the site records, by id.
    """
    reader = _Reader(instruments)
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BundleError({"resourceType": ["must be 'Bundle'"]})
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        raise BundleError({"entry": ["must be a list"]})
    for n, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            reader.fail(f"entry[{n}].resource", "is missing")
            continue
        kind = str(resource.get("resourceType"))
        if kind == "QuestionnaireResponse":
            reader.response(n, resource)
        elif kind == "Observation":
            reader.observation(n, resource)
        else:
            reader.out.skipped.append(Skipped(n, kind, "only QuestionnaireResponses and Observations are imported"))
    reader.finish()
    if reader.errors:
        raise BundleError(reader.errors)
    return reader.out
