"""`read`, `read_summary` and `read_many` on every way a file arrives,
and errors as exceptions naming the file."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import pyrunlens as rl
from conftest import FIXTURES

CHANNELS = ["lat_deg", "lon_deg", "altitude_m", "distance_m", "speed_m_s", "hr_bpm", "cadence_rpm", "power_w",
            "temperature_c"]
DEMO_ZIP = FIXTURES / "demo" / "demo-export.zip"


def test_fit_and_gpx_of_one_run_give_the_same_track() -> None:
    fit, gpx = rl.read(FIXTURES / "short-run.fit"), rl.read(FIXTURES / "short-run.gpx")
    assert fit.columns == ["activity", "time_utc", *CHANNELS]
    assert fit.height == gpx.height == 385
    assert fit["time_utc"].is_sorted()
    assert_frame_equal(fit.select("time_utc", "hr_bpm"), gpx.select("time_utc", "hr_bpm"))
    summary = rl.read_summary(FIXTURES / "short-run.fit")
    assert summary.height == 1
    assert summary["samples"][0] == fit.height
    assert summary["sport"][0] == "running"


def test_gzip_and_zip_member_read_like_the_loose_file(tmp_path: Path) -> None:
    gz = tmp_path / "run.fit.gz"
    with open(FIXTURES / "short-run.fit", "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert_frame_equal(rl.read(gz), rl.read(FIXTURES / "short-run.fit"))
    member = f"{DEMO_ZIP}!activities/10000000.fit.gz"
    samples, summary = rl.read(member), rl.read_summary(member)
    assert samples.height > 100
    assert summary["source"][0] == member


def test_unreadable_files_raise_naming_the_file() -> None:
    for path, why in [
        (FIXTURES / "nope.fit", "no such file"),
        (FIXTURES / "broken" / "cut-mid-tag.gpx", "broken XML"),
        (FIXTURES / "broken" / "empty.tcx", "the file is empty"),
        (FIXTURES / "broken" / "settings.fit", "not an activity"),
        (FIXTURES / "broken" / "not-a-zip.zip", "not a readable zip archive"),
        (Path(f"{DEMO_ZIP}!activities/missing.fit"), "no such activity file in the archive"),
        (DEMO_ZIP, "read one as"),
    ]:
        with pytest.raises(rl.RunlensError, match=why) as raised:
            rl.read(path)
        assert str(raised.value).startswith(str(path)), raised.value


def test_read_many_keeps_order_and_raises_or_skips() -> None:
    paths = [FIXTURES / "short-run.gpx", FIXTURES / "broken" / "settings.fit", FIXTURES / "short-run.fit"]
    with pytest.raises(rl.RunlensError, match="settings.fit: this is a FIT settings file"):
        rl.read_many(paths)
    frames = rl.read_many(paths, on_error="skip")
    assert frames[1] is None
    assert_frame_equal(frames[0], rl.read(paths[0]))
    assert_frame_equal(frames[2], rl.read(paths[2]))
    pairs = rl.read_many(paths[:1], summaries=True)
    assert isinstance(pairs[0][1], pl.DataFrame) and pairs[0][1]["samples"][0] == pairs[0][0].height
