"""`python -m bench batch` (= `make bench-batch`): `regelbank batch` end to end on a large CSV.

Generates a caseload of N rows (bench/caseload.py: kampen/dagbesteding, Dutch text, one row in a
thousand with a mistake), runs `regelbank batch kampen/dagbesteding cases.csv --out results.csv`
as a separate process, and reports wall time, rows per second, CPU time and peak memory, then
checks the results file: one row per case, every bad row reported in its row.

`regelbank batch` forks worker processes (one per CPU), so peak memory is that of the whole process
tree, sampled every 50 ms from /proc: PSS summed (pages the workers share with the parent counted
once: what the batch costs the machine) and RSS summed (shared pages counted in every process: an
upper bound), next to the largest single process's maximum resident set size.

    python -m bench batch [--rows 1000000] [--processes N] [--repeat K]
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .caseload import write
from .serve import regelbank_exe


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench batch")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--processes", type=int, help="passed on to regelbank batch (default: one per CPU)")
    parser.add_argument("--repeat", type=int, default=1, help="runs (the machine is shared: best and median)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="regelbank-bench-batch-") as tmp:
        tmp = Path(tmp)
        cases, out = tmp / "cases.csv", tmp / "results.csv"
        write(args.rows, str(cases))
        env = dict(os.environ, REGELBANK_INSTANCE_PATH=str(tmp / "instance"))
        env.pop("REGELBANK_DATABASE_URL", None)
        # as an installed program runs: its modules' bytecode cached (init-db writes it if it is not)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([regelbank_exe(), "init-db"], env=env, check=True, capture_output=True)
        subprocess.run([regelbank_exe(), "batch", "kampen/dagbesteding", str(_tiny(tmp, cases)), "--out",
                        str(tmp / "warm.csv")], env=env, check=True, capture_output=True)
        command = [regelbank_exe(), "batch", "kampen/dagbesteding", str(cases), "--out", str(out)]
        if args.processes:
            command += ["--processes", str(args.processes)]
        print(f"regelbank batch kampen/dagbesteding, {args.rows:,} rows ({cases.stat().st_size / 1e6:.0f} MB CSV) "
              f"-> CSV, {os.cpu_count()} CPUs shared (load average {os.getloadavg()[0]:.1f} before)")
        walls = []
        for _ in range(args.repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            sampler = TreeMemory(child.pid)
            stdout, stderr = child.communicate()
            wall = time.perf_counter() - start
            sampler.stop()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if child.returncode != 0:
                print(stderr, file=sys.stderr)
                return 1
            walls.append(wall)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"  wall {wall:.1f} s = {args.rows / wall:,.0f} rows/s end to end (start-up included); "
                  f"CPU {cpu:.1f} s = {args.rows / cpu:,.0f} rows per CPU-second; peak memory of all its "
                  f"processes {sampler.pss / 1024:.0f} MB PSS ({sampler.rss / 1024:.0f} MB RSS summed, "
                  f"{sampler.processes} processes; largest single process {after.ru_maxrss / 1024:.0f} MB)")
        if args.repeat > 1:
            walls.sort()
            print(f"  best {args.rows / walls[0]:,.0f} rows/s, median {args.rows / walls[len(walls) // 2]:,.0f} rows/s "
                  f"over {len(walls)} runs")
        with open(out, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))[1:]
        bad = [r for r in rows if r[3] == "veel"]
        ok = len(rows) == args.rows and len(bad) == args.rows // 1000 and all("Groepsgrootte" in r[-1] for r in bad)
        print(f"  results: {len(rows):,} rows, {len(bad):,} bad rows each reported in its row: "
              + ("ok" if ok else "WRONG"))
        return 0 if ok else 1


def _tiny(tmp: Path, cases: Path) -> Path:
    """The caseload's first two lines: a warm-up run (bytecode written, files in the page cache)."""
    with open(cases, encoding="utf-8") as f:
        head = f.readline() + f.readline()
    (tmp / "tiny.csv").write_text(head, encoding="utf-8")
    return tmp / "tiny.csv"


class TreeMemory:
    """Peak PSS and RSS (kB) summed over a process and its descendants, sampled every 50 ms (Linux /proc)."""

    def __init__(self, pid: int, every: float = 0.05):
        self.pid, self.every, self.pss, self.rss, self.processes = pid, every, 0, 0, 1
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        pids, samples = [self.pid], 0
        while not self._done.wait(self.every):
            if samples % 5 == 0:          # the workers start once; finding them costs a scan of /proc
                pids = self._tree()
            samples += 1
            pss = rss = 0
            for pid in pids:
                try:
                    with open(f"/proc/{pid}/smaps_rollup") as f:
                        for line in f:
                            if line.startswith("Pss:"):
                                pss += int(line.split()[1])
                            elif line.startswith("Rss:"):
                                rss += int(line.split()[1])
                except OSError:       # gone meanwhile
                    pass
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)
            self.processes = max(self.processes, len(pids))

    def _tree(self) -> list[int]:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        tree, frontier = [self.pid], [self.pid]
        while frontier:
            frontier = [pid for pid, parent in parents.items() if parent in frontier]
            tree += frontier
        return tree


if __name__ == "__main__":
    sys.exit(main())
