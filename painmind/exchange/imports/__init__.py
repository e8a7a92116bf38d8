"""Check-ins from other trackers: the import action (`actions`), `painmind import checkins`
(`cli`) and the patient's upload page (`views`). Conversion and validation: core.checkin_import."""
