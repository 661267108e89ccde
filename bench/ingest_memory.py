"""Peak memory of `stakeholder-intel ingest` for files of 1,000 and 10,000 conversations.

Writes JSON Lines files of varied conversations (the labelled set under new ids, five
conversations an account), runs the real command on each as a separate process against
the same stores, and samples that process's resident memory to report its peak. Memory
should stay flat: the ratio of the two peaks should be close to 1.

    python -m bench.ingest_memory [--sizes 1000 10000]

Uses DATABASE_URL if set (recommended, so the embedded Postgres's own memory is not in
the figures), else the embedded stores under a temporary DATA_DIR.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.quality.labels import DATA, load_labelled

CONVERSATIONS_PER_ACCOUNT = 5


def write_file(path: Path, count: int) -> None:
    items = load_labelled()
    with path.open("w") as handle:
        for index in range(count):
            body = {k: v for k, v in items[index % len(items)].items() if k != "labels"}
            group = index // CONVERSATIONS_PER_ACCOUNT
            body["external_id"] = f"mem-{count}-{index}"
            body["account"] = {
                "name": f"Account {group}",
                "domain": f"account-{count}-{group}.example.com",
            }
            handle.write(json.dumps(body) + "\n")


def peak_rss(command: list[str], env: dict[str, str]) -> tuple[int, float, int]:
    """(peak resident bytes of the process tree's Python process, seconds, exit code)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    return peak, time.perf_counter() - started, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    env = {**os.environ, "DATA_DIR": str(workdir / "data")}
    catalogue = workdir / "catalogue.json"
    catalogue.write_text(
        json.dumps(
            {"product_lines": json.loads((DATA / "catalogue.json").read_text())["product_lines"]}
        )
    )
    results = []
    for size in args.sizes:
        path = workdir / f"conversations-{size}.jsonl"
        write_file(path, size)
        command = [
            sys.executable,
            "-m",
            "app",
            "ingest",
            str(path),
            "--workspace",
            f"memory-{size}",
            "--catalogue",
            str(catalogue),
            "--no-project",
        ]
        peak, seconds, code = peak_rss(command, env)
        results.append((size, peak))
        megabytes = path.stat().st_size / 1e6
        print(
            f"{size:>6} conversations ({megabytes:.1f} MB file): peak RSS {peak / 2**20:.0f} MiB, "
            f"{seconds:.0f} s, {size / seconds:.1f} conversations/s, exit {code}"
        )
    if len(results) > 1:
        (small, small_peak), (large, large_peak) = results[0], results[-1]
        print(f"peak memory ratio {large}/{small}: {large_peak / small_peak:.2f} (flat is 1.0)")


if __name__ == "__main__":
    main()
