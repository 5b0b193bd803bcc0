"""`python -m bench serve` (= `make bench-serve`): the evaluate endpoint under a bounded local load.

Starts `regelbank serve --port N` (gunicorn, its default workers and threads) on 127.0.0.1 with a
fresh instance folder (decision log on SQLite), creates an evaluator token, and drives
POST /api/v1/rulesets/kampen/autoaanpassing/evaluate with `wrk` (Debian package `wrk`) for a fixed
time over a fixed number of connections; without wrk, a small Python client with threads does the
same. Then it checks that nothing was lost: every completed request answered 200 and is in the
decision log, and `verify_log` finds the hash chain intact.

    python -m bench serve [--seconds 15] [--connections 8] [--workers 1] [--threads 8]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULESET = "kampen/autoaanpassing"
BODY = {"inputs": {"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _regelbank() -> str:
    candidate = Path(sys.executable).parent / "regelbank"
    return str(candidate) if candidate.exists() else "regelbank"


def _wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"de server op poort {port} kwam niet op")


def run_wrk(port, token, seconds, connections, threads) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write('wrk.method = "POST"\n'
                     f'wrk.body = {json.dumps(json.dumps(BODY))}\n'
                     'wrk.headers["Content-Type"] = "application/json"\n'
                     f'wrk.headers["Authorization"] = "Bearer {token}"\n')
    url = f"http://127.0.0.1:{port}/api/v1/rulesets/{RULESET}/evaluate"
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
                          "-s", script.name, url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)

    def ms(text):
        value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    completed = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"tool": "wrk", "raw": out, "completed": completed,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": ms(latency["50"]), "p99_ms": ms(latency["99"]),
            "errors": (int(non2xx.group(1)) if non2xx else 0)
            + (sum(int(x) for x in socket_errors.groups()) if socket_errors else 0)}


def run_python_client(port, token, seconds, connections) -> dict:
    body = json.dumps(BODY)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, bad = [], 0
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                conn.request("POST", f"/api/v1/rulesets/{RULESET}/evaluate", body, headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
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

    return {"tool": "python-client", "completed": len(latencies), "rps": len(latencies) / elapsed,
            "p50_ms": pct(0.50), "p99_ms": pct(0.99), "errors": errors[0]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench serve")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (bounded load)")
    parser.add_argument("--workers", type=int, default=1, help="as `regelbank serve` chooses on SQLite")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="regelbank-bench-serve-"))
    env = dict(os.environ, REGELBANK_INSTANCE_PATH=str(tmp / "instance"), REGELBANK_SECRET_KEY="bench")
    env.pop("REGELBANK_DATABASE_URL", None)
    cmd = _regelbank()
    subprocess.run([cmd, "init-db"], env=env, check=True, capture_output=True)
    subprocess.run([cmd, "user", "create", "--username", "bench", "--role", "evaluator", "--password",
                    "bench-" + os.urandom(8).hex()], env=env, check=True, capture_output=True)  # tokens belong to a user
    token = subprocess.run([cmd, "token", "create", "--role", "evaluator", "--name", "bench", "--user", "bench"],
                           env=env, check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
    port = _free_port()
    log = open(tmp / "server.log", "w")
    server = subprocess.Popen([cmd, "serve", "--port", str(port), "--workers", str(args.workers),
                               "--threads", str(args.threads)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(port)
        # warm up: every worker loads the rule set once
        run_python_client(port, token, 2, args.connections)
        from store import Store
        store = Store(f"sqlite:///{tmp / 'instance' / 'regelbank.sqlite'}")
        before = store.count_decisions(ruleset=RULESET)
        use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
        if use_wrk:
            result = run_wrk(port, token, args.seconds, args.connections, min(2, args.connections))
        else:
            result = run_python_client(port, token, args.seconds, args.connections)
        time.sleep(1.0)  # requests in flight when the client stopped finish and are logged
        logged = store.count_decisions(ruleset=RULESET) - before
        verified = store.verify_log()
        store.close()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    print(f"POST /api/v1/rulesets/{RULESET}/evaluate, gunicorn {args.workers} workers x {args.threads} threads, "
          f"SQLite decision log, {args.connections} connections, {args.seconds}s, client: {result['tool']}, "
          f"{os.cpu_count()} CPUs (shared by client and server)")
    print(f"  requests/s: {result['rps']:.0f}   p50: {result['p50_ms']:.1f} ms   p99: {result['p99_ms']:.1f} ms")
    print(f"  completed: {result['completed']}   errors/non-200: {result['errors']}   "
          f"in the decision log: {logged}   log chain intact: {verified.ok} ({verified.checked} checked)")
    lost = result["completed"] - logged
    ok = result["errors"] == 0 and lost <= 0 and verified.ok
    print("  no request lost or failed" if ok else f"  WARNING: {result['errors']} errors, {max(lost, 0)} not logged")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
