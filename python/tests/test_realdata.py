"""`read_many` on the real device files: every file the established
parsers read (reference.csv) reads here too, in parallel exactly as one by
one, and the summary counts the samples returned."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

import pyrunlens as rl


def must_read(rows: list[dict[str, str]]) -> bool:
    """As tests/realdata.rs: every peer reads it, with dated records."""
    dated = [r for r in rows if r["peer"] in ("fitdecode", "etree-baseline") and r["first_ts"]]
    return (all(r["status"] == "ok" for r in rows) and any(float(r["n_records"] or 0) > 0 for r in rows)
            and not any(r["first_ts"].startswith("rel:") for r in rows) and bool(dated))


def test_read_many_reads_what_peers_read(realdata: Path) -> None:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(realdata / "reference.csv", newline="") as f:
        for row in csv.DictReader(f):
            rows[row["relpath"]].append(row)
    paths = [realdata / relpath for relpath in sorted(rows)]
    parallel = rl.read_many(paths, summaries=True, on_error="skip")
    failures = []
    for path, got in zip(paths, parallel):
        relpath = str(path.relative_to(realdata))
        try:
            one = (rl.read(path), rl.read_summary(path))
        except rl.RunlensError as e:
            assert str(e).startswith(str(path)), e
            assert got is None
            if must_read(rows[relpath]):
                failures.append(f"{relpath}: peers read it: {e}")
            continue
        samples, summary = got
        assert_frame_equal(samples, one[0])
        assert_frame_equal(summary, one[1])
        per_activity = samples.group_by("activity").len().sort("activity")["len"].cast(pl.UInt64).to_list()
        assert summary["samples"].to_list() == per_activity or samples.height == 0, relpath
    print(f"\nrealdata: {len(paths)} files, {sum(g is not None for g in parallel)} read")
    assert not failures, "\n".join(failures)
