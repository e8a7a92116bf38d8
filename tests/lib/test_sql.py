"""Names for hand-built statements come from the models' metadata, quoted by the backend."""

from __future__ import annotations

import pytest
from django.db import connection

from painmind.accounts.models import User
from painmind.diary.models import CheckIn
from painmind.lib import sql


def test_table_and_column_names_come_from_the_model():
    q = connection.ops.quote_name
    assert sql.table("default", CheckIn) == q("diary_checkin")
    assert sql.column("default", CheckIn, "local_on") == f"{q('diary_checkin')}.{q('local_on')}"
    assert sql.column("default", CheckIn, "patient") == f"{q('diary_checkin')}.{q('patient_id')}"  # the FK column


def test_a_relation_that_is_not_a_column_is_refused():
    with pytest.raises(TypeError, match="checkins is not a column"):
        sql.column("default", User, "checkins")  # the reverse side of CheckIn.patient
