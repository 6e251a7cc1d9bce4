#!/usr/bin/env python3
"""runlens as the map stage of Ray Data: many athletes' exports in, the
squad's hive-partitioned Parquet dataset out, the same layout `runlens
squad` writes:

    OUT/parquet/activities/athlete=KEY/part-0.parquet

ROOT holds one entry per athlete: a folder (any mix of FIT/GPX/TCX, .gz and
zips below it) or a zip directly in ROOT (the athlete is its name without
``.zip``). The unit of work is one athlete: Ray reads the files' bytes
(``read_binary_files(include_paths=True)``), groups them by athlete, and
each group is written to the worker's local disk and analyzed by
``pyrunlens.analyze`` in one call, exactly as ``runlens analyze`` would.

    python python/examples/ray_squad.py ROOT OUT [--address auto]

On a real cluster ROOT and OUT are URIs every node reaches (s3://...,
gs://..., or a shared mount) and ``--address auto`` joins the running
cluster; see python/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import ray

import pyrunlens as rl

PARTITION_KEY = "athlete"
PART_FILE = "part-0.parquet"
ACTIVITIES_DATASET = "activities"
# Columns that name input files: they name them relative to ROOT, not to
# the worker's scratch folder.
PATH_COLUMNS = ("source", "duplicate_of")


def athlete_key(name: str) -> str:
    """The athlete's folder name and hive value, as runlens's squad mode
    spells it: ASCII letters, digits, ``-``, ``_`` and a non-leading ``.``
    stay; every other UTF-8 byte becomes ``%XX``."""
    out = []
    for i, byte in enumerate(name.encode()):
        char = chr(byte)
        if (char.isascii() and char.isalnum()) or char in "-_" or (char == "." and i > 0):
            out.append(char)
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def tag_athletes(batch: pa.Table, root: str) -> pa.Table:
    """Each file's athlete (first component below ROOT) and its path below ROOT."""
    relpaths = [str(PurePosixPath(p).relative_to(root)) for p in batch.column("path").to_pylist()]
    athletes = [r.split("/", 1)[0] for r in relpaths]
    athletes = [a[: -len(".zip")] if a.lower().endswith(".zip") and a == r else a for a, r in zip(athletes, relpaths)]
    return batch.append_column(PARTITION_KEY, pa.array(athletes)).append_column("relpath", pa.array(relpaths))


def analyze_athlete(group: pa.Table, out: str, settings: dict[str, Any]) -> pa.Table:
    """One athlete: the files on local disk, one runlens analysis, the
    activities as the athlete's partition; returns one row of counts."""
    started = time.perf_counter()
    athlete = group.column(PARTITION_KEY)[0].as_py()
    with tempfile.TemporaryDirectory(prefix="runlens-") as scratch:
        for relpath, data in zip(group.column("relpath").to_pylist(), group.column("bytes").to_pylist()):
            target = Path(scratch, relpath)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        entry = group.column("relpath")[0].as_py().split("/", 1)[0]
        try:
            tables = rl.analyze([os.path.join(scratch, entry)], **settings)
        except rl.RunlensError as e:
            return pa.table({PARTITION_KEY: [athlete], "activities": [0], "skipped": [group.num_rows],
                             "error": [str(e).replace(scratch + os.sep, "")], "seconds": [0.0]})
        activities = tables["activities"]
        prefix = scratch + os.sep
        activities = activities.with_columns(
            activities[c].str.replace(prefix, "", literal=True) for c in PATH_COLUMNS if c in activities.columns
        )
    filesystem, base = pafs.FileSystem.from_uri(out) if "://" in out else (pafs.LocalFileSystem(), os.path.abspath(out))
    folder = f"{base}/parquet/{ACTIVITIES_DATASET}/{PARTITION_KEY}={athlete_key(athlete)}"
    filesystem.create_dir(folder, recursive=True)
    pq.write_table(activities.to_arrow(), f"{folder}/{PART_FILE}", filesystem=filesystem)
    return pa.table({PARTITION_KEY: [athlete], "activities": [activities.height],
                     "skipped": [tables["skipped"].height], "error": [""],
                     "seconds": [time.perf_counter() - started]})


def run(root: str, out: str, settings: dict[str, Any] | None = None) -> pa.Table:
    """The whole squad through Ray Data; one row per athlete."""
    root = root.rstrip("/")
    files = ray.data.read_binary_files(root, include_paths=True)
    tagged = files.map_batches(tag_athletes, batch_format="pyarrow", fn_kwargs={"root": root})
    done = tagged.groupby(PARTITION_KEY).map_groups(
        analyze_athlete, batch_format="pyarrow", fn_kwargs={"out": out, "settings": settings or {}})
    rows: pa.Table = pa.concat_tables([pa.table(b) for b in done.iter_batches(batch_format="pyarrow")])
    return rows.sort_by(PARTITION_KEY)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("out")
    parser.add_argument("--address", help="a running cluster (auto, or ray://host:10001); default: a local one")
    args = parser.parse_args()
    started = time.perf_counter()
    ray.init(address=args.address, include_dashboard=False, logging_level="warning")
    print(f"ray started in {time.perf_counter() - started:.1f} s")
    rows = run(args.root, args.out)
    print(rows.to_pandas().to_string(index=False))
    print(f"{rows.num_rows} athletes in {time.perf_counter() - started:.1f} s -> {args.out}/parquet/{ACTIVITIES_DATASET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
