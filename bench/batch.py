"""`python -m bench batch` (= `make bench-batch`): `regelbank batch` end to end on a large CSV.

Generates a caseload of N rows (bench/caseload.py: kampen/dagbesteding, Dutch text, one row in a
thousand with a mistake), runs `regelbank batch kampen/dagbesteding cases.csv --out results.csv`
as a separate process, and reports wall time, rows per second, CPU time and peak memory (the
child's maximum resident set size), then checks the results file: one row per case, every bad
row reported in its row.

    python -m bench batch [--rows 1000000]
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .caseload import write
from .serve import regelbank_exe


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench batch")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="regelbank-bench-batch-") as tmp:
        tmp = Path(tmp)
        cases, out = tmp / "cases.csv", tmp / "results.csv"
        write(args.rows, str(cases))
        env = dict(os.environ, REGELBANK_INSTANCE_PATH=str(tmp / "instance"))
        env.pop("REGELBANK_DATABASE_URL", None)
        subprocess.run([regelbank_exe(), "init-db"], env=env, check=True, capture_output=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run([regelbank_exe(), "batch", "kampen/dagbesteding", str(cases), "--out", str(out)],
                             env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run.returncode != 0:
            print(run.stderr, file=sys.stderr)
            return 1
        with open(out, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))[1:]
        bad = [r for r in rows if r[3] == "veel"]
        ok = len(rows) == args.rows and len(bad) == args.rows // 1000 and all("Groepsgrootte" in r[-1] for r in bad)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"regelbank batch kampen/dagbesteding, {args.rows:,} rows ({cases.stat().st_size / 1e6:.0f} MB CSV) "
              f"-> CSV, {os.cpu_count()} CPUs shared")
        print(f"  wall {wall:.1f} s = {args.rows / wall:,.0f} rows/s end to end (start-up included); "
              f"CPU {cpu:.1f} s = {args.rows / cpu:,.0f} rows per CPU-second; "
              f"peak memory {after.ru_maxrss / 1024:.0f} MB")
        print(f"  results: {len(rows):,} rows, {len(bad):,} bad rows each reported in its row: "
              + ("ok" if ok else "WRONG"))
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
