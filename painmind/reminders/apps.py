from __future__ import annotations

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders to patients (check-in time, questionnaires due), sent by e-mail.

    The app's label stays ``notify``, its name before the folder was renamed: the label names
    its tables (`notify_reminderpreference`, `notify_remindersent`) and its migration history,
    which a rename would have to move on every existing database.
    """

    name = "painmind.reminders"
    label = "notify"
    verbose_name = "Reminders"

    def ready(self) -> None:
        # The reminders line among what is due on the patient's home page (diary.hooks).
        from painmind.diary.hooks import register_home_section
        from painmind.reminders.home import reminders_section

        register_home_section(reminders_section)
