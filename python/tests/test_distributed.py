"""The Ray Data example on a local cluster: three athletes (a folder, a
name with a space, a zip) give the squad's hive Parquet layout, each
partition equal to `runlens analyze` on that athlete alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from conftest import FIXTURES, REPO, missing


def squad(root: Path) -> dict[str, tuple[str, str]]:
    """Athlete name -> (entry below root, partition key)."""
    (root / "ann").mkdir(parents=True)
    shutil.copy(FIXTURES / "short-run.fit", root / "ann" / "short-run.fit")
    (root / "Bob Lee" / "export").mkdir(parents=True)
    shutil.copy(FIXTURES / "demo" / "demo-export.zip", root / "Bob Lee" / "export" / "demo-export.zip")
    with zipfile.ZipFile(root / "cyd.zip", "w") as z:
        z.write(FIXTURES / "short-run.gpx", "runs/short-run.gpx")
    return {"ann": ("ann", "ann"), "Bob Lee": ("Bob Lee", "Bob%20Lee"), "cyd": ("cyd.zip", "cyd")}


def test_ray_example_writes_the_squad_dataset(runlens_bin: Path, tmp_path: Path) -> None:
    try:
        import ray
    except ImportError:
        missing("test_ray_example_writes_the_squad_dataset", "ray is not installed (pip install 'ray[data]')")
    examples = str(REPO / "python" / "examples")
    sys.path.insert(0, examples)
    import ray_squad

    root, out = tmp_path / "athletes", tmp_path / "out"
    athletes = squad(root)
    started = time.perf_counter()
    # Workers import the example's functions by module name.
    ray.init(num_cpus=2, include_dashboard=False, logging_level="warning",
             runtime_env={"env_vars": {"PYTHONPATH": examples}})
    try:
        start_s = time.perf_counter() - started
        rows = ray_squad.run(str(root), str(out))
    finally:
        ray.shutdown()
    print(f"\nray: started in {start_s:.1f} s, squad of {len(athletes)} in {time.perf_counter() - started:.1f} s")
    assert rows.column("athlete").to_pylist() == sorted(athletes)
    assert rows.column("error").to_pylist() == ["", "", ""]
    for name, (entry, key) in athletes.items():
        part = out / "parquet" / "activities" / f"athlete={key}" / "part-0.parquet"
        cli_out = tmp_path / f"cli-{key}"
        subprocess.run([str(runlens_bin), "analyze", entry, "--out", str(cli_out), "--quiet"], cwd=root, check=True)
        assert_frame_equal(pl.read_parquet(part), pl.read_parquet(cli_out / "activities.parquet"))
    # Hive readers decode the key back to the athlete's name.
    dataset = pl.read_parquet(out / "parquet" / "activities", hive_partitioning=True)
    assert sorted(dataset["athlete"].unique().to_list()) == sorted(athletes)


def test_athlete_keys_follow_the_squad_rule() -> None:
    sys.path.insert(0, str(REPO / "python" / "examples"))
    pytest.importorskip("pyarrow")
    try:
        import ray_squad
    except ImportError:
        missing("test_athlete_keys_follow_the_squad_rule", "ray is not installed")
    cases = {"ann": "ann", "Ann Lee": "Ann%20Lee", "a/b": "a%2Fb", "x=1": "x%3D1", "Zoë": "Zo%C3%AB",
             "50%": "50%25", "..": "%2E.", ".hidden": "%2Ehidden", "a\\b:c": "a%5Cb%3Ac"}
    for name, key in cases.items():
        assert ray_squad.athlete_key(name) == key
