"""`pyrunlens.analyze` gives exactly the tables `runlens analyze` writes:
each frame equals the CLI's Parquet or CSV read back with the frame's types."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import pyrunlens as rl
from conftest import FIXTURES

RFC3339_UTC = "%Y-%m-%dT%H:%M:%SZ"


def cli_tables(runlens_bin: Path, cwd: Path, inputs: list[str], flags: list[str]) -> Path:
    out = cwd / "out"
    subprocess.run([str(runlens_bin), "analyze", *inputs, "--out", str(out), "--quiet", *flags], cwd=cwd, check=True,
                   capture_output=True)
    return out


def read_csv_as(path: Path, like: pl.DataFrame) -> pl.DataFrame:
    """The CLI's CSV with every column cast to the Python frame's type."""
    text = pl.read_csv(path, infer_schema=False)
    assert text.columns == like.columns, path.name
    casts: list[pl.Expr] = []
    for name, dtype in like.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.Datetime):
            casts.append(col.str.to_datetime(RFC3339_UTC, time_unit=dtype.time_unit, time_zone=dtype.time_zone))
        elif dtype == pl.Date:
            casts.append(col.str.to_date("%Y-%m-%d"))
        elif dtype == pl.Boolean:
            casts.append(col.replace_strict({"true": True, "false": False}, return_dtype=pl.Boolean))
        else:
            casts.append(col.cast(dtype))
    return text.select(casts)


def assert_same_as_cli(tables: dict[str, pl.DataFrame], out: Path) -> None:
    expected = {p.stem for p in out.glob("*.csv")} | {"findings"}
    assert set(tables) == expected
    assert_frame_equal(tables["activities"], pl.read_parquet(out / "activities.parquet"))
    for name, frame in tables.items():
        if name == "findings":
            continue
        assert_frame_equal(frame, read_csv_as(out / f"{name}.csv", frame), check_exact=True)
    import json

    summary = json.loads((out / "summary.json").read_text())
    assert tables["findings"]["finding"].to_list() == summary["findings"]


@pytest.mark.parametrize(
    ("inputs", "settings", "flags"),
    [
        (None, {}, []),
        ([str(FIXTURES)], {}, []),
        ([str(FIXTURES / "demo")], {"max_hr": 188, "units": "imperial", "sport": ["running", "trail_running"]},
         ["--max-hr", "188", "--units", "imperial", "--sport", "running,trail_running"]),
    ],
    ids=["demo", "fixtures", "demo-with-settings"],
)
def test_tables_equal_the_clis(runlens_bin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               inputs: list[str] | None, settings: dict[str, Any], flags: list[str]) -> None:
    # Both read the same (absent) runlens.toml of the same folder.
    monkeypatch.chdir(tmp_path)
    out = cli_tables(runlens_bin, tmp_path, inputs or [], flags)
    assert_same_as_cli(rl.analyze(inputs, **settings), out)


def test_arrow_streams_read_by_pyarrow() -> None:
    pa = pytest.importorskip("pyarrow")
    streams = rl.analyze(None, arrow=True)
    weekly = pa.table(streams["weekly"])
    assert weekly.num_rows == rl.analyze(None)["weekly"].height
    with pytest.raises(rl.RunlensError, match="already read"):
        pa.table(streams["weekly"])


def test_analyze_errors_are_exceptions() -> None:
    with pytest.raises(rl.RunlensError, match="--max-hr is 20"):
        rl.analyze(None, max_hr=20)
    with pytest.raises(rl.RunlensError, match="unexpected argument '--bogus'"):
        rl.analyze(None, bogus=1)
    with pytest.raises(rl.RunlensError, match=r"no activity could be analyzed.*empty\.tcx"):
        rl.analyze([str(FIXTURES / "broken" / "empty.tcx")], quiet=False)
    with pytest.raises(TypeError, match="'out'"):
        rl.analyze(None, out="x")
