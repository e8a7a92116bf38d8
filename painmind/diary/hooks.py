"""Seams for apps above the diary: what the saved-check-in page offers next, and who must hear
that a check-in was edited or deleted.

The diary cannot import the apps built on it (import-linter's layers), so they register here,
from their AppConfig.ready(). An offer is a function of (actor, patient, the saved check-in)
returning None or a dict with a ``template`` to include and its context. Offers never gate
anything: the check-in is already saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from painmind.accounts.audit import Actor
    from painmind.accounts.models import User
    from painmind.diary.models import CheckIn

CheckInOffer = Callable[["Actor", "User", "CheckIn"], "dict[str, Any] | None"]
_OFFERS: list[CheckInOffer] = []


def register_checkin_offer(offer: CheckInOffer) -> None:
    if offer not in _OFFERS:
        _OFFERS.append(offer)


def checkin_offers(actor: Actor, patient: User, checkin: CheckIn) -> list[dict[str, Any]]:
    """What each registered app offers after this check-in, in registration order."""
    return [o for o in (offer(actor, patient, checkin) for offer in _OFFERS) if o is not None]


# Called, inside the write's transaction, with the patient's id after a check-in is edited or
# deleted: what an app keeps derived from the diary (the cycle cache in insights) forgets it.
# A new check-in needs no call: the count and the newest id already tell a cache it is stale.
CheckInChange = Callable[[int], None]
_CHANGES: list[CheckInChange] = []


def register_checkin_change(listener: CheckInChange) -> None:
    if listener not in _CHANGES:
        _CHANGES.append(listener)


def checkins_changed(patient_id: int) -> None:
    """Tell every registered app that this patient's stored check-ins changed in place."""
    for listener in _CHANGES:
        listener(patient_id)


# What the apps above the diary add to the patient's home page (diary/home.html), below the
# check-in and the chart: the care plan's next step, the latest cycle finding, reminders. A
# section is a function of (actor, the patient) returning None (nothing to show) or a dict with
# a ``template`` to include, an ``order`` (lower first) and its context. Own reads only.
HomeSection = Callable[["Actor", "User"], "dict[str, Any] | None"]
_HOME: list[HomeSection] = []


def register_home_section(section: HomeSection) -> None:
    if section not in _HOME:
        _HOME.append(section)


def home_sections(actor: Actor, patient: User) -> list[dict[str, Any]]:
    """Every registered app's home section that has something to show, by its ``order``."""
    found = [s for s in (section(actor, patient) for section in _HOME) if s is not None]
    return sorted(found, key=lambda s: s.get("order", 100))
