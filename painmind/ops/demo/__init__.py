"""The demo cohort `painmind demo` loads: `stories` (the patients whose diaries raise each kind of
alert), `measures` (their questionnaires), `team` (the multidisciplinary team, sharing and
reminders), `plans` (care plans across the four strategies), `meds`, `selfcare` and `where`, all
through the real actions, each at its moment in the story (`clock`)."""
