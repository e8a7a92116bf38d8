"""The demo cohort `painmind demo` loads: `stories` (the patients whose diaries raise each kind of
alert), `measures` (their questionnaires) and `team` (the multidisciplinary team, care plans,
sharing and reminders), all through the real actions."""
