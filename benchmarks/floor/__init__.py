"""The floor for `benchmarks/checkin_write.py`: the least a Django + django-ninja check-in write can do.

One token lookup by SHA-256 digest, one pydantic-validated insert into a table shaped like
PainMind's check-ins (same columns, CHECK constraints, unique key and indexes), a 201 with the
row. No admin, sessions, auth middleware or templates. Never part of PainMind's settings.
"""
