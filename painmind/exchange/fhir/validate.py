"""The whole Bundle checked against the FHIR R4B models (fhir.resources) before anything else."""

from __future__ import annotations

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from painmind.core.fhir import BundleError


def _place(loc: tuple[int | str, ...]) -> str:
    """pydantic's ``('entry', 3, 'resource', 'status')`` as ``entry[3].resource.status``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith("function-"):  # validator names are not places in the file
            out += f".{part}" if out else part
    return out or "bundle"


def check_r4b(data: object) -> None:
    """Raise `BundleError` (every problem, by place) unless `data` is a valid R4B Bundle."""
    if not isinstance(data, dict):
        raise BundleError({"bundle": ["must be a JSON object (a FHIR Bundle)"]})
    try:
        Bundle.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors():
            errors.setdefault(_place(tuple(error["loc"])), []).append(error["msg"])
        raise BundleError(errors) from None
    except (ValueError, TypeError, KeyError) as exc:  # fhir.resources raises plain errors for some shapes
        raise BundleError({"bundle": [str(exc).splitlines()[0] if str(exc) else type(exc).__name__]}) from None
