"""What a patient is told before withdrawing a clinician's access.

Accounts sits below the apps that know why ending access has consequences (an open self-harm
alert the clinician was told about stays with them), so those apps add a note at start-up with
`add_revoke_note` (safety does, in its AppConfig.ready) and the sharing page shows every note
on its confirmation step, before anything changes.
"""

from __future__ import annotations

from collections.abc import Callable

from painmind.accounts.models import Consent

RevokeNote = Callable[[Consent], list[str]]
_notes: list[RevokeNote] = []


def add_revoke_note(note: RevokeNote) -> RevokeNote:
    """Register a function that says what revoking this consent will not undo (usable as a decorator)."""
    if note not in _notes:
        _notes.append(note)
    return note


def revoke_notes(consent: Consent) -> list[str]:
    """Every registered note for this consent, in registration order."""
    return [text for note in _notes for text in note(consent)]
