"""`python -m bench serve` (= `make bench-serve`): the evaluate endpoint under load, against its ceiling.

In one run, on 127.0.0.1, with `wrk` (Debian package `wrk`; a small threaded Python client without it):

1. the ceiling: a bare Flask JSON echo (bench/echo_app.py) under the same gunicorn worker model;
2. POST /api/v1/rulesets/kampen/autoaanpassing/evaluate on `regelbank serve`, decision log on SQLite;
3. the same on PostgreSQL with one app server, and with two app servers (separate gunicorn
   processes on two ports, as two hosts would be) sharing the database and the signing key, the
   load split over both.

For each: requests/s, p50, p99, the ratio to the echo's requests/s and p99, and a loss check: every
200 answer is in the decision log, and `verify_log` (hash chain and head signatures) passes.
PostgreSQL comes from REGELBANK_BENCH_POSTGRES_URL (the Makefile starts one with
scripts/postgres.sh); without it those rows are left out and the run says so.

    python -m bench serve [--seconds 10] [--connections 16]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULESET = "kampen/autoaanpassing"
BODY = {"inputs": {"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150}}
EVALUATE = f"/api/v1/rulesets/{RULESET}/evaluate"
PG_ENV = "REGELBANK_BENCH_POSTGRES_URL"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def regelbank_exe() -> str:
    candidate = Path(sys.executable).parent / "regelbank"
    return str(candidate) if candidate.exists() else "regelbank"


class Server:
    """One app server: `regelbank serve` (or the echo app) under gunicorn, in its own process group."""

    def __init__(self, env: dict, workers: int, threads: int, log: Path, echo: bool = False):
        self.port = free_port()
        self.echo = echo
        if echo:
            cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads), "-k", "gthread",
                   "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "bench.echo_app:app"]
        else:
            cmd = [regelbank_exe(), "serve", "--port", str(self.port), "--workers", str(workers),
                   "--threads", str(threads)]
        self._log = open(log, "w")
        self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait(self, timeout: float = 90) -> "Server":
        path = "/echo" if self.echo else "/api/v1/health"
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"de server op poort {self.port} stopte meteen (zie {self._log.name})")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                if self.echo:
                    conn.request("POST", path, "{}", {"Content-Type": "application/json"})
                else:
                    conn.request("GET", path)
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"de server op poort {self.port} kwam niet op (zie {self._log.name})")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server's processes (gunicorn master and workers)."""
        return group_cpu_seconds(self.proc.pid)

    def kill9(self) -> None:
        """kill -9 of the whole server (gunicorn master and workers), as a crashing host."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                self.kill9()
        self._log.close()


def group_cpu_seconds(pgid: int) -> float:
    """utime + stime of the live processes in process group ``pgid`` (Linux /proc; 0.0 elsewhere)."""
    total = 0
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:    # fields after the name: state, ppid, pgrp, ..., utime (11), stime (12)
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def instance_env(tmp: Path, name: str, database_url: str | None, signing_key: str | None = None) -> dict:
    env = dict(os.environ, REGELBANK_INSTANCE_PATH=str(tmp / name), REGELBANK_SECRET_KEY="bench")
    env.pop("REGELBANK_DATABASE_URL", None)
    if database_url:
        env["REGELBANK_DATABASE_URL"] = database_url
    if signing_key:
        env["REGELBANK_LOG_SIGNING_KEY"] = signing_key
    return env


def prepare(env: dict) -> str:
    """Migrate, publish the bundled workbooks, and return an evaluator token."""
    cmd = regelbank_exe()
    subprocess.run([cmd, "init-db"], env=env, check=True, capture_output=True)
    user = f"bench-{uuid.uuid4().hex[:6]}"     # tokens belong to a user
    subprocess.run([cmd, "user", "create", "--username", user, "--role", "evaluator", "--password",
                    "bench-" + uuid.uuid4().hex], env=env, check=True, capture_output=True)
    return subprocess.run([cmd, "token", "create", "--role", "evaluator", "--name", user, "--user", user],
                          env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]


def pg_schema_url(admin_url: str) -> tuple[str, callable]:
    """A fresh schema on the PostgreSQL server; returns its URL and a function that drops it."""
    import sqlalchemy as sa
    schema = "rbbench_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(admin_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in admin_url else "?"

    def drop():
        admin.dispose()   # the pooled connection may not have survived a server restart
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return f"{admin_url}{sep}options=-csearch_path%3D{schema}", drop


# ---------------------------------------------------------------- load generators

def run_wrk(port, token, seconds, connections, path=EVALUATE) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write('wrk.method = "POST"\n'
                     f'wrk.body = {json.dumps(json.dumps(BODY))}\n'
                     'wrk.headers["Content-Type"] = "application/json"\n'
                     + (f'wrk.headers["Authorization"] = "Bearer {token}"\n' if token else ""))
    url = f"http://127.0.0.1:{port}{path}"
    out = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "--timeout", "10s", "-s", script.name, url], capture_output=True, text=True,
                         check=True).stdout
    os.unlink(script.name)

    def ms(text):
        value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    completed = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0)
    return {"tool": "wrk", "completed": completed, "ok": completed - errors,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": ms(latency["50"]), "p99_ms": ms(latency["99"]),
            "errors": errors + (sum(int(x) for x in socket_errors.groups()) if socket_errors else 0)}


def run_python_client(port, token, seconds, connections, path=EVALUATE) -> dict:
    body = json.dumps(BODY)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, bad = [], 0
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                conn.request("POST", path, body, headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
                    continue
            except OSError:
                bad += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0.0

    return {"tool": "python-client", "completed": len(latencies) + errors[0], "ok": len(latencies),
            "rps": len(latencies) / elapsed, "p50_ms": pct(0.50), "p99_ms": pct(0.99), "errors": errors[0]}


def load(ports, token, seconds, connections, client, path=EVALUATE) -> dict:
    """Drive all ports at once (connections split evenly); sums rates, takes the worst p99."""
    run = run_wrk if client == "wrk" else run_python_client
    results = [None] * len(ports)

    def go(i, port):
        results[i] = run(port, token, seconds, max(1, connections // len(ports)), path)
    threads = [threading.Thread(target=go, args=(i, p)) for i, p in enumerate(ports)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(r["ok"] for r in results) or 1
    return {"tool": results[0]["tool"], "rps": sum(r["rps"] for r in results),
            "completed": sum(r["completed"] for r in results), "ok": sum(r["ok"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "p50_ms": sum(r["p50_ms"] * r["ok"] for r in results) / total,
            "p99_ms": max(r["p99_ms"] for r in results)}


# ---------------------------------------------------------------- scenarios

def _log_state(database_url: str, instance: Path) -> tuple[int, int]:
    from store import Store
    store = Store(database_url)
    try:
        with store.engine.connect() as conn:
            import sqlalchemy as sa
            sigs = conn.execute(sa.text("SELECT count(*) FROM log_signatures")).scalar()
        return store.count_decisions(ruleset=RULESET), sigs
    finally:
        store.close()


def _verify(database_url: str, instance: Path):
    from store import Store
    from store.signing import LogSigner
    store = Store(database_url, signer=LogSigner.for_instance(instance))
    try:
        return store.verify_log()
    finally:
        store.close()


def scenario(label, tmp, database_url, servers, workers, threads, args, client) -> dict:
    key = os.urandom(32).hex()   # several servers share one signing key, as hosts would via a secret store
    envs = [instance_env(tmp, f"{label}-{i}", database_url, key) for i in range(servers)]
    token = prepare(envs[0])
    for env in envs[1:]:
        prepare(env)
    url = database_url or f"sqlite:///{tmp / f'{label}-0' / 'regelbank.sqlite'}"
    running = [Server(env, workers, threads, tmp / f"{label}-{i}.log").wait() for i, env in enumerate(envs)]
    try:
        load([s.port for s in running], token, 2, args.connections, client)   # warm-up: each worker loads the rules
        before, sigs_before = _log_state(url, tmp / f"{label}-0")
        cpu = sum(s.cpu_seconds() for s in running)
        result = load([s.port for s in running], token, args.seconds, args.connections, client)
        cpu = sum(s.cpu_seconds() for s in running) - cpu
        time.sleep(1.0)   # requests in flight when the client stopped finish (and are logged)
    finally:
        for s in running:
            s.stop()
    after, sigs_after = _log_state(url, tmp / f"{label}-0")
    verified = _verify(url, tmp / f"{label}-0")
    logged = after - before
    result.update(label=label, model=f"{servers} x {workers}w x {threads}t", logged=logged,
                  per_commit=logged / max(1, sigs_after - sigs_before), chain_ok=verified.ok,
                  chain_message=verified.message, lost=max(0, result["ok"] - logged),
                  cpu_ms=1000 * cpu / max(1, result["completed"]))
    return result


def echo_ceiling(tmp, workers, threads, args, client) -> dict:
    server = Server(dict(os.environ), workers, threads, tmp / f"echo-{workers}x{threads}.log", echo=True).wait()
    try:
        load([server.port], None, 2, args.connections, client, "/echo")
        cpu = server.cpu_seconds()
        result = load([server.port], None, args.seconds, args.connections, client, "/echo")
        result["cpu_ms"] = 1000 * (server.cpu_seconds() - cpu) / max(1, result["completed"])
    finally:
        server.stop()
    result.update(label=f"Flask JSON echo (ceiling, {workers}w x {threads}t)", model=f"1 x {workers}w x {threads}t")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench serve")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (bounded load)")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args(argv)
    client = "wrk" if args.client == "wrk" or (args.client == "auto" and shutil.which("wrk")) else "python"
    tmp = Path(tempfile.mkdtemp(prefix="regelbank-bench-serve-"))
    pg_admin = os.environ.get(PG_ENV)
    rows, drops = [], []
    try:
        # the worker models `regelbank serve` picks: SQLite 1 worker x 16 threads (one writer process),
        # PostgreSQL 2 x 8; the echo runs under the same model
        echo_sqlite = echo_ceiling(tmp, 1, 16, args, client)
        rows.append(echo_sqlite)
        rows.append(dict(scenario("sqlite", tmp, None, 1, 1, 16, args, client), ceiling=echo_sqlite))
        if pg_admin:
            echo_pg = echo_ceiling(tmp, 2, 8, args, client)
            rows.append(echo_pg)
            for servers in (1, 2):
                url, drop = pg_schema_url(pg_admin)
                drops.append(drop)
                rows.append(dict(scenario(f"postgresql-{servers}", tmp, url, servers, 2, 8, args, client),
                                 ceiling=echo_pg))
    finally:
        for drop in drops:
            drop()
    print(f"\nPOST {EVALUATE} (decision logged, signed per commit batch) vs a bare Flask JSON echo; gunicorn "
          f"gthread; {args.connections} connections for {args.seconds}s per row; client: {client}; "
          f"{os.cpu_count()} CPUs shared by client and servers. 'server CPU ms/req': CPU time of the server "
          f"processes (all workers) per completed request, which varies less with the machine's other load "
          f"than requests/s does.\n")
    print("| setup | servers x workers x threads | requests/s | p50 ms | p99 ms | vs echo req/s (>= 0.5x) "
          "| p99 vs echo (<= 3x) | server CPU ms/req | 200 answers | in log | per commit | chain + signatures |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    ok = True
    for r in rows:
        c = r.get("ceiling")
        ratio = f"{r['rps'] / c['rps']:.2f}x" if c else "-"
        p99 = f"{r['p99_ms'] / c['p99_ms']:.1f}x" if c else "-"
        check = "-"
        if c:
            good = r["errors"] == 0 and r["lost"] == 0 and r["chain_ok"]
            ok &= good
            check = "ok" if r["chain_ok"] else f"FOUT: {r['chain_message']}"
        print(f"| {r['label']} | {r['model']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {ratio} | "
              f"{p99} | {r['cpu_ms']:.2f} | {r['ok']:,} | {r.get('logged', '-'):,} | "
              f"{r['per_commit']:.1f} | {check} |" if c else
              f"| {r['label']} | {r['model']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | - | - | "
              f"{r['cpu_ms']:.2f} | {r['ok']:,} | - | - | - |")
    if not pg_admin:
        print(f"\n(PostgreSQL rows left out: set {PG_ENV}; `make bench-serve` starts a server for it.)")
    lost = sum(r.get("lost", 0) for r in rows)
    errors = sum(r["errors"] for r in rows if r.get("ceiling"))
    print("\nLoss check: " + ("every 200 answer is in the decision log and the chain and signatures verify."
                              if ok else f"FAILED: {lost} answered but not logged, {errors} errors/non-200."))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
