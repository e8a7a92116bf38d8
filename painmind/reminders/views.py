"""The patient's reminder settings page."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.reminders import next_reminder_at
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors
from painmind.reminders.access import get_reminder_preference_for_user
from painmind.reminders.actions import do_set_reminder_preference
from painmind.reminders.models import ReminderPreference


class ReminderForm(forms.Form):
    checkin_enabled = forms.BooleanField(label="Remind me to check in every day", required=False)
    checkin_time = forms.TimeField(
        label="At (your local time, HH:MM)",
        required=False,
        input_formats=["%H:%M"],
        error_messages={"invalid": "Enter the time as HH:MM on a 24-hour clock, for example 20:00."},
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "placeholder": "20:00"}),
    )
    questionnaires_enabled = forms.BooleanField(label="Also remind me when a questionnaire is due", required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        on = data.get("checkin_enabled") or data.get("questionnaires_enabled")
        if on and data.get("checkin_time") is None and "checkin_time" not in self.errors:
            self.add_error("checkin_time", "Choose a time for your reminders, as HH:MM (for example 20:00).")
        return data


def next_reminder_text(pref: ReminderPreference, now: datetime) -> str:
    """'Thu 26 Nov at 20:00 (Europe/London)': the next reminder in the patient's zone; '' when off."""
    if pref.pk is None or not (pref.checkin_enabled or pref.questionnaires_enabled):
        return ""
    at = next_reminder_at(now, pref.checkin_time, pref.patient.tzinfo)
    return f"{at:%a} {at.day} {at:%b} at {at:%H:%M} ({pref.patient.time_zone})"


@login_required
def reminders(request: AuthedRequest) -> HttpResponse:
    actor = Actor.from_request(request, "web")
    pref = get_reminder_preference_for_user(actor)
    initial = {
        "checkin_enabled": pref.checkin_enabled,
        "checkin_time": pref.checkin_time,
        "questionnaires_enabled": pref.questionnaires_enabled,
    }
    form = ReminderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_set_reminder_preference(actor, **form.cleaned_data)
        except ActionError as exc:
            add_action_errors(form, exc.errors)
        else:
            messages.success(request, "Reminder settings saved.")
            return redirect("reminders:settings")
    ctx = {"form": form, "pref": pref, "next_text": next_reminder_text(pref, timezone.now())}
    return render(request, "reminders/settings.html", ctx, status=400 if form.errors else 200)
