"""The one error an action raises for bad input, whatever the interface (web, API, CLI)."""

from __future__ import annotations


class ActionError(Exception):
    """Bad input to an action: `errors` maps a field name to the reasons it was refused.

    The API turns it into a 422 naming each field (config/api.py), a form shows each reason
    on its field (`painmind.lib.forms.add_action_errors`), a command prints one line.
    """

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))

    @property
    def sentence(self) -> str:
        """The reasons as one sentence, for a page's message line."""
        return " ".join(m for msgs in self.errors.values() for m in msgs).capitalize() + "."
