"""The long table written part by part is the long table, and a failed write leaves no file."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from painmind.core.cycle import analyze
from painmind.core.cycle.result.export import write_parquet, write_table
from painmind.core.cycle.result.tidy import long_batches, long_table
from painmind.core.synth import generate_cohort


def _dense(table: pa.Table) -> pa.Table:
    return pa.table(
        [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns],
        names=table.column_names,
    )


@pytest.fixture(scope="module")
def result():
    data = generate_cohort(11, 40, missing_day_rate=0.1, realistic=False, rng=4).data
    return analyze(data, id_col="patient_id", time_col="local_date", variables=["pain", "mood"], min_pairs=30)


def test_parts_of_any_size_make_the_long_table(result, tmp_path):
    whole = long_table(result)
    assert whole.num_rows == 11 * 4
    for people in (1, 4, 11, 50):
        parts = list(long_batches(result, people))
        assert len(parts) == -(-11 // people)
        assert _dense(pa.concat_tables([_dense(p) for p in parts])).equals(_dense(whole))
    write_parquet(long_batches(result, 4), tmp_path / "parts.parquet")
    write_table(whole, tmp_path / "whole.parquet", "parquet")
    assert _dense(pq.read_table(tmp_path / "parts.parquet")).equals(_dense(pq.read_table(tmp_path / "whole.parquet")))
    # Each person's rows keep their id whatever part they were in.
    ids = pq.read_table(tmp_path / "parts.parquet").column("id").to_pylist()
    assert ids == [pid for pid in result.fits.patient_ids for _ in range(4)]
    assert np.isin(["ok"], pq.read_table(tmp_path / "parts.parquet").column("status").to_pylist()).all()


def test_a_part_that_fails_leaves_no_file(result, tmp_path):
    def parts():
        yield from long_batches(result, 4)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_parquet(parts(), tmp_path / "long.parquet")
    assert list(tmp_path.iterdir()) == []
