#!/usr/bin/env python3
"""Multi-process load: N `policychat serve` processes on ONE database file, driven at once.

This is how a web server with N workers runs PolicyChat: each worker spawns its own
`policychat serve --db FILE` on the same SQLite file (WAL mode). One thread per process
keeps several sessions going at a time, pipelining one request of each, with a realistic
mix: session.open (devices shared between workers, as when one person has two tabs),
age.declare, chat.send questions, consent.set changes, rights requests through
verification (a few of them erasures), session.export and session.close.

Every error response is counted. One whose reason is `storage`, or whose message mentions
"locked" or "busy", and any "database is locked" on a process's stderr, is a user-visible
lock error: there must be none. Afterwards the file is checked with sqlite3: integrity, and
every acknowledged write is in it. It prints throughput overall and per method, with median
and p99 latency, labelled with the store.

`--db` also takes a postgres:// or postgresql:// URL (issue 19): N processes on one
PostgreSQL database, each run in a schema of its own, with a random data key and an empty
working folder and HOME, checked with psycopg 3; a lock error is then PostgreSQL's (deadlock,
serialization failure, lock timeout). Tests/Reliability/stores.py has the details.

`--netns` (PostgreSQL, as root) runs each worker's server in a network namespace of its own,
policychat-wN: its own loopback and one veth link to the bridge pcpg0 that `.ci/postgres.sh
start` makes, with address 10.251.0.(10+N); the bridge's ports are isolated from each other.
Give it the URL with host 10.251.0.1 (`.ci/postgres.sh netns-url`); the checks read the
database from the host at that address too, since it is the host's own. Before the run it
checks, inside worker 0's namespace, that the database is reachable over the link and the
host's loopback port and another worker's address are not. The servers then share nothing
but the database (and the file system). The namespaces and links are removed however the
run ends (Ctrl-C too; `.ci/postgres.sh stop` removes those a kill -9 left).

Standard library only for SQLite; psycopg for PostgreSQL. Exit status 0 when there were no
errors and nothing is missing. All personal data used is made up (example.org addresses,
fixed phrases).

    python3 Tests/Reliability/multiprocess-load.py [BINARY] [--workers 4] [--seconds 20] [--sessions 4]
        [--db PATH|URL] [--netns]
"""

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from stores import Store, is_postgres

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = str(REPO / ".build-dev" / "debug" / "policychat")
PURPOSES = ["session_logging", "analytics", "marketing", "personalisation", "improvement"]
COUNTRIES = ["ZA", "DE", "FR", "GB", "NL", "US", "KE"]
QUESTIONS = [
    "Do you sell my data?",
    "How long do you keep my data?",
    "Who do you share my information with?",
    "What cookies do you use?",
    "How do I contact the information officer?",
    "Can I delete my account?",
    "Do you transfer data outside South Africa?",
    "what about children",
    "How is my data protected?",
    "thanks",
]
DETAILS = {
    "correction": "the postal address you hold for me is out of date",
    "complaint": "the assistant answered a question I did not ask",
    "human_review": "please have a person look at my last answer",
}
REQUEST_TYPES = ["access", "portability", "correction", "complaint", "human_review", "objection"]
REQUEST_DONE = {
    "request.access_done",
    "request.portability_done",
    "request.passed_on",
    "request.complaint_recorded",
    "request.received",
    "request.consents_off",
    "request.erasure_done",
}
# consent.set answers that mean a consent row was written (the others change nothing).
CONSENT_WRITTEN = {"consent.given", "consent.was_off", "consent.withdrawn"}
REFERENCE = re.compile(r"\bRQ-[A-Z0-9]{6}\b")
BRIDGE = "pcpg0"
BRIDGE_ADDRESS = "10.251.0.1"


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


class Results:
    """What all workers saw; each worker adds to it under the lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = {}  # method -> [seconds]
        self.errors = {}  # "method code reason" -> count
        self.lock_errors = 0
        self.sessions = {}  # session id -> {"closed": bool, "erased": bool}
        self.consents = []  # (session, purpose, granted)
        self.requests = []  # (reference, type, email)
        self.erasures = []  # (reference, session)
        self.exports = 0
        self.budget_refusals = 0  # identity codes refused by a budget (knowledge/verification.yaml)


def session_script(rng, worker, number, devices, results):
    """One person's visit, as a generator: yields (method, params), receives the response."""
    tag = f"w{worker}-{number}-{os.getpid()}"
    erasure = rng.random() < 0.05
    device = f"ml-erase-{tag}" if erasure else rng.choice(devices)
    response = yield "session.open", {"country": rng.choice(COUNTRIES), "deviceId": device, "locale": "en"}
    if "result" not in response:
        return
    sid = response["result"]["sessionId"]
    with results.lock:
        results.sessions[sid] = {"closed": False, "erased": False}
    yield "age.declare", {"sessionId": sid, "age": rng.randint(19, 80)}
    steps = []
    for _ in range(rng.randint(1, 4)):
        steps.append(("chat", None))
    for _ in range(rng.randint(0, 3)):
        steps.append(("consent", None))
    if erasure:
        steps.append(("request", "erasure"))
    elif rng.random() < 0.3:
        steps.append(("request", rng.choice(REQUEST_TYPES)))
    if rng.random() < 0.3:
        steps.append(("export", None))
    rng.shuffle(steps)
    if erasure:
        # The erasure last: the session keeps nothing after it.
        steps.sort(key=lambda step: step[0] == "request")
    for kind, detail in steps:
        if kind == "chat":
            yield "chat.send", {"sessionId": sid, "text": rng.choice(QUESTIONS)}
        elif kind == "consent":
            purpose = rng.choice(PURPOSES)
            granted = rng.random() < 0.6
            response = yield "consent.set", {"sessionId": sid, "purpose": purpose, "granted": granted}
            intent = (response.get("result") or {}).get("intent")
            if intent in CONSENT_WRITTEN:
                with results.lock:
                    results.consents.append((sid, purpose, granted))
        elif kind == "export":
            response = yield "session.export", {"sessionId": sid}
            if "result" in response:
                with results.lock:
                    results.exports += 1
        else:
            email = f"ml.{tag}@example.org"
            yield "request.start", {"sessionId": sid, "type": detail}
            response = yield "request.identify", {"sessionId": sid, "email": email}
            code = None
            for event in (response.get("result") or {}).get("events", []):
                if event.get("type") == "verification.send":
                    code = event["data"]["code"]
            if code is None:
                decision = (response.get("result") or {}).get("decision") or {}
                if decision.get("kind", "").endswith("code_budget"):
                    with results.lock:
                        results.budget_refusals += 1
                yield "request.cancel", {"sessionId": sid}
                continue
            response = yield "request.verify", {"sessionId": sid, "code": code}
            if detail in DETAILS:
                response = yield "request.details", {"sessionId": sid, "text": DETAILS[detail]}
            elif detail == "erasure":
                response = yield "request.confirm", {"sessionId": sid, "confirm": True}
            result = response.get("result") or {}
            found = REFERENCE.search(" ".join(reply.get("text", "") for reply in result.get("replies", [])))
            if result.get("intent") in REQUEST_DONE and found:
                with results.lock:
                    if detail == "erasure":
                        results.erasures.append((found.group(0), sid))
                        results.sessions[sid]["erased"] = True
                    else:
                        results.requests.append((found.group(0), detail, email))
    response = yield "session.close", {"sessionId": sid}
    if "result" in response:
        with results.lock:
            results.sessions[sid]["closed"] = True


class Namespaces:
    """One network namespace per worker (--netns): policychat-wN with its loopback up and a
    veth pair, one end (policychat-wN) on the bridge, isolated from the other ports, the
    other (eth0) in the namespace with 10.251.0.(10+N)/24."""

    def __init__(self, count):
        self.count = count
        self.made = []  # (namespace, host end of its veth), in the order made

    @staticmethod
    def name(number):
        return f"policychat-w{number}"

    @staticmethod
    def address(number):
        return f"10.251.0.{10 + number}"

    @staticmethod
    def ip(*words):
        done = subprocess.run(["ip", *words], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"ip {' '.join(words)}: {done.stderr.strip() or f'exit status {done.returncode}'}")
        return done.stdout

    def make(self):
        """Makes them all, or raises RuntimeError saying why (what was made is removed)."""
        if os.geteuid() != 0:
            raise RuntimeError("network namespaces need root")
        if not 1 <= self.count <= 240:
            raise RuntimeError("--netns takes 1 to 240 workers (addresses 10.251.0.10 to .249)")
        try:
            self.ip("link", "show", BRIDGE)
        except (RuntimeError, OSError):
            raise RuntimeError(f"no bridge {BRIDGE}: start the cluster as root with .ci/postgres.sh start")
        if f"inet {BRIDGE_ADDRESS}/24" not in self.ip("-o", "-4", "addr", "show", "dev", BRIDGE):
            raise RuntimeError(f"the bridge {BRIDGE} has not the address {BRIDGE_ADDRESS}/24 (.ci/postgres.sh start gives it)")
        existing = set(line.split()[0] for line in self.ip("netns", "list").splitlines() if line.strip())
        try:
            for number in range(self.count):
                name = self.name(number)
                if name in existing:
                    raise RuntimeError(
                        f"namespace {name} exists already (another run, or one killed with -9: "
                        ".ci/postgres.sh stop removes it, or ip netns del)"
                    )
                self.ip("netns", "add", name)
                self.made.append((name, None))
                self.ip("link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", name)
                self.made[-1] = (name, name)
                self.ip("link", "set", name, "master", BRIDGE)
                self.ip("link", "set", "dev", name, "type", "bridge_slave", "isolated", "on")
                self.ip("link", "set", name, "up")
                self.ip("-n", name, "addr", "add", f"{self.address(number)}/24", "dev", "eth0")
                self.ip("-n", name, "link", "set", "eth0", "up")
                self.ip("-n", name, "link", "set", "lo", "up")
        except (RuntimeError, OSError) as error:
            self.remove()
            raise RuntimeError(str(error)) from None

    def command(self, number, argv):
        """argv run in worker `number`'s namespace (ip netns exec execs it: same process)."""
        return ["ip", "netns", "exec", self.name(number), *argv]

    def prove(self, port):
        """Problems with the isolation, seen from inside worker 0's namespace: the database at
        10.251.0.1:PORT must accept a connection, the host's loopback port 127.0.0.1:PORT must
        not (the namespace's own loopback refuses it), nor another worker's address."""
        checks = [(BRIDGE_ADDRESS, port, "connected"), ("127.0.0.1", port, "refused")]
        if self.count > 1:
            # Isolated bridge ports: not even an ARP answer, so no refusal, only silence.
            checks.append((self.address(1), port, "unreachable"))
        probe = (
            "import socket, sys\n"
            "for host, port in zip(sys.argv[1::2], sys.argv[2::2]):\n"
            "    s = socket.socket(); s.settimeout(1.5)\n"
            "    try:\n"
            "        s.connect((host, int(port))); print('connected')\n"
            "    except ConnectionRefusedError:\n"
            "        print('refused')\n"
            "    except OSError:\n"
            "        print('unreachable')\n"
            "    finally:\n"
            "        s.close()\n"
        )
        argv = [sys.executable, "-c", probe]
        for host, port, _ in checks:
            argv += [host, str(port)]
        done = subprocess.run(self.command(0, argv), capture_output=True, text=True, timeout=30)
        seen = done.stdout.split()
        if done.returncode != 0 or len(seen) != len(checks):
            return [f"the check in {self.name(0)} failed: {done.stderr.strip()[:200]}"]
        return [
            f"from {self.name(0)}, {host}:{port} is {got}, not {wanted}"
            for (host, port, wanted), got in zip(checks, seen)
            if got != wanted
        ]

    def remove(self):
        """Removes what was made (deleting the host end of a veth deletes both); returns what
        could not be removed."""
        left = []
        for name, veth in reversed(self.made):
            if veth is not None:
                done = subprocess.run(["ip", "link", "del", veth], capture_output=True)
                if done.returncode != 0 and subprocess.run(["ip", "link", "show", veth], capture_output=True).returncode == 0:
                    left.append(f"link {veth}")
            done = subprocess.run(["ip", "netns", "del", name], capture_output=True)
            if done.returncode != 0 and os.path.exists(f"/run/netns/{name}"):
                left.append(f"namespace {name}")
        self.made = []
        return left


class Worker(threading.Thread):
    """One `policychat serve` process, and the sessions driven through it."""

    def __init__(self, number, args, db, devices, results, stop_at, scratch, store, env=None, cwd=None, namespaces=None):
        super().__init__(name=f"worker-{number}")
        self.number = number
        self.args = args
        self.rng = random.Random(args.seed * 1000 + number)
        self.devices = devices
        self.results = results
        self.store = store
        self.stop_at = stop_at
        self.stderr_path = os.path.join(scratch, f"stderr-{number}.log")
        self.stderr = open(self.stderr_path, "wb")
        argv = [args.binary, "serve", "--home", args.home, "--db", db]
        if namespaces is not None:
            argv = namespaces.command(number, argv)
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            bufsize=0,
            env=env,
            cwd=cwd,
        )
        self.buffer = b""
        self.next_id = 0
        self.failure = None

    def read_response(self):
        while b"\n" not in self.buffer:
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("the server closed its output")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def run(self):
        try:
            self.drive()
        except Exception as error:  # reported by the main thread
            self.failure = f"{type(error).__name__}: {error}"
        finally:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            self.proc.wait()
            self.stderr.close()

    def drive(self):
        # Start-up first (opening and, for the first process, migrating the file), timed on
        # its own so that it does not count in session.open.
        began = time.monotonic()
        self.proc.stdin.write(b'{"jsonrpc": "2.0", "id": 0, "method": "initialize"}\n')
        self.record("initialize (start-up)", self.read_response(), time.monotonic() - began)
        active = []  # [generator, pending (method, params)]
        started = 0
        while True:
            # Keep `sessions` visits going until the time is up; then let them finish.
            while time.monotonic() < self.stop_at and len(active) < self.args.sessions:
                started += 1
                script = session_script(self.rng, self.number, started, self.devices, self.results)
                active.append([script, next(script)])
            if not active:
                return
            # One request of each session, pipelined in one write; the answers come in order.
            data = b""
            sent = []
            for entry in active:
                method, params = entry[1]
                self.next_id += 1
                data += (
                    json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}) + "\n"
                ).encode()
                sent.append((entry, method, self.next_id))
            began = time.monotonic()
            self.proc.stdin.write(data)
            finished = []
            for entry, method, request_id in sent:
                response = self.read_response()
                elapsed = time.monotonic() - began
                if response.get("id") != request_id:
                    raise RuntimeError(f"response {response.get('id')} for request {request_id}")
                self.record(method, response, elapsed)
                try:
                    entry[1] = entry[0].send(response)
                except StopIteration:
                    finished.append(entry)
            for entry in finished:
                active.remove(entry)

    def record(self, method, response, elapsed):
        with self.results.lock:
            self.results.latencies.setdefault(method, []).append(elapsed)
            error = response.get("error")
            if error:
                reason = (error.get("data") or {}).get("reason")
                key = f"{method} {error.get('code')} {reason}"
                self.results.errors[key] = self.results.errors.get(key, 0) + 1
                message = str(error.get("message", "")).lower()
                if reason == "storage" or "locked" in message or "busy" in message:
                    self.results.lock_errors += 1
                elif self.store.postgres and self.store.lock_errors(message):
                    self.results.lock_errors += 1


def verify(store, results):
    """Every acknowledged write is in the file (or the PostgreSQL schema); returns the problems found."""
    problems = []
    conn = store.connect()
    try:
        if store.postgres:
            missing = store.postgres_missing(conn, ["session", "consent", "request", "data_subject"])
            if missing:
                return [missing]
            problems += [f"integrity: {p}" for p in store.postgres_integrity(conn)]
            if store.postgres_foreign_keys(conn):
                problems.append("foreign key check found rows")
        else:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                problems.append(f"integrity_check: {integrity[:5]}")
            if conn.execute("PRAGMA foreign_key_check").fetchall():
                problems.append("foreign_key_check found rows")
        missing_sessions = 0
        unclosed = 0
        for sid, session in results.sessions.items():
            if session["erased"]:
                continue
            row = conn.execute("SELECT closedAt FROM session WHERE id = ?", [sid]).fetchone()
            if row is None:
                missing_sessions += 1
            elif session["closed"] and row["closedAt"] is None:
                unclosed += 1
        if missing_sessions:
            problems.append(f"{missing_sessions} acknowledged sessions missing")
        if unclosed:
            problems.append(f"{unclosed} acknowledged closes missing")
        wanted = {}
        erased = {sid for sid, s in results.sessions.items() if s["erased"]}
        for sid, purpose, granted in results.consents:
            if sid not in erased:
                key = (sid, purpose, granted)
                wanted[key] = wanted.get(key, 0) + 1
        missing_consents = 0
        for (sid, purpose, granted), count in wanted.items():
            stored = conn.execute(
                "SELECT COUNT(*) FROM consent WHERE sessionId = ? AND purpose = ? AND granted = ?",
                [sid, purpose, granted],
            ).fetchone()[0]
            missing_consents += max(0, count - stored)
        if missing_consents:
            problems.append(f"{missing_consents} acknowledged consent changes missing")
        missing_requests = 0
        for reference, kind, email in results.requests:
            row = conn.execute(
                "SELECT request.type, data_subject.email FROM request JOIN data_subject "
                "ON data_subject.id = request.subjectId WHERE reference = ?",
                [reference],
            ).fetchone()
            if row is None or row["type"] != kind:
                missing_requests += 1
        if missing_requests:
            problems.append(f"{missing_requests} acknowledged requests missing")
        for reference, sid in results.erasures:
            row = conn.execute("SELECT status FROM request WHERE reference = ?", [reference]).fetchone()
            left = conn.execute("SELECT COUNT(*) FROM session WHERE id = ?", [sid]).fetchone()[0]
            if row is None or row["status"] != "completed" or left:
                problems.append(f"acknowledged erasure {reference} not done")
    finally:
        conn.close()
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", nargs="?", default=os.environ.get("POLICYCHAT_BIN", DEFAULT_BIN))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--sessions", type=int, default=4, help="sessions each worker keeps going at once")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--db",
        default=None,
        help="the database file (default: a new one in a temporary folder), or a postgres:// URL",
    )
    parser.add_argument("--keep-schema", action="store_true", help="with a postgres:// URL: keep the run's schema")
    parser.add_argument("--home", default=str(REPO), help="the folder with knowledge/ (default: the repository)")
    parser.add_argument(
        "--netns",
        action="store_true",
        help="with a postgres:// URL whose host is 10.251.0.1 (.ci/postgres.sh netns-url): each worker "
        "in a network namespace of its own (root)",
    )
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1_000_000)
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"multiprocess-load: no executable at {args.binary} (give its path, or set POLICYCHAT_BIN)")
    if args.netns:
        if not is_postgres(args.db):
            sys.exit("multiprocess-load: --netns needs a postgres:// URL (.ci/postgres.sh netns-url)")
        if urllib.parse.urlsplit(args.db).hostname != BRIDGE_ADDRESS:
            sys.exit(
                f"multiprocess-load: --netns needs the URL with host {BRIDGE_ADDRESS}, the bridge's address "
                "(.ci/postgres.sh netns-url): a namespace cannot reach the host's 127.0.0.1"
            )
    # With a URL, psycopg is imported (or its absence reported) before anything is made.
    store = Store(args.db, "multiprocess-load", keep_schema=args.keep_schema) if is_postgres(args.db) else None
    scratch = tempfile.mkdtemp(prefix="policychat-load-")
    env = cwd = None
    if store is not None:
        # The servers run in an empty folder that is their HOME too: nothing may appear in it.
        args.binary = os.path.abspath(args.binary)
        args.home = os.path.abspath(args.home)
        cwd = tempfile.mkdtemp(prefix="policychat-load-home-")
        env = store.server_env(cwd)
        db = store.serve_db
    else:
        db = args.db or os.path.join(scratch, "load.db")
        store = Store(db, "multiprocess-load")
    print(
        f"multiprocess-load: binary {args.binary}, {args.workers} workers x {args.sessions} sessions, "
        f"{args.seconds:g} s, seed {args.seed}, db {store.shown}",
        flush=True,
    )
    store.note()
    namespaces = None
    if args.netns:
        # Ctrl-C and SIGTERM both end the run through the finally below.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        namespaces = Namespaces(args.workers)
    try:
        if namespaces is not None:
            try:
                namespaces.make()
            except RuntimeError as error:
                sys.exit(f"multiprocess-load: --netns: cannot make the namespaces: {error}")
        return run(args, store, scratch, db, env, cwd, namespaces)
    finally:
        if namespaces is not None:
            left = namespaces.remove()
            if left:
                print(f"multiprocess-load: could not remove {', '.join(left)}", file=sys.stderr, flush=True)


def run(args, store, scratch, db, env, cwd, namespaces):
    """The run itself, once the store (and the namespaces) are ready; the exit status."""
    if namespaces is not None:
        broken = namespaces.prove(urllib.parse.urlsplit(args.db).port or 5432)
        if broken:
            for problem in broken:
                print(f"multiprocess-load: --netns: {problem}", file=sys.stderr, flush=True)
            return 1
        print(
            f"namespaces: {args.workers} (each worker: its own loopback and one link to the database)",
            flush=True,
        )
    results = Results()
    # Enough devices that the per-device code budget (6 a day) seldom binds: the load is many
    # people, not one device asking for code after code (the attack suite tests that).
    devices = [f"ml-device-{n}" for n in range(args.workers * 50)]
    started = time.monotonic()
    # The workers start together on the (new) file, as a web server's do.
    workers = []
    try:
        for n in range(args.workers):
            workers.append(
                Worker(n, args, db, devices, results, started + args.seconds, scratch, store, env=env, cwd=cwd,
                       namespaces=namespaces)
            )
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    except BaseException:
        if namespaces is None:
            raise
        # Ctrl-C or SIGTERM with --netns: no server outlives its namespace.
        for worker in workers:
            if worker.proc.poll() is None:
                worker.proc.kill()
        for worker in workers:
            worker.proc.wait()
        raise
    elapsed = time.monotonic() - started

    problems = []
    for worker in workers:
        if worker.failure:
            problems.append(f"worker {worker.number}: {worker.failure}")
        if worker.proc.returncode != 0:
            problems.append(f"worker {worker.number} exited with {worker.proc.returncode}")
    stderr_locked = 0
    stderr_lines = set()
    for worker in workers:
        text = Path(worker.stderr_path).read_text(errors="replace")
        stderr_locked += store.lock_errors(text)
        stderr_lines.update(line for line in text.splitlines() if line.strip())
    problems += verify(store, results)
    if cwd is not None:
        left = store.left_files(cwd)
        if left:
            problems.append(
                store.hide(f"files created with a PostgreSQL store in the servers' folder and HOME {cwd}: {left[:10]}")
            )

    total = sum(len(v) for v in results.latencies.values())
    error_count = sum(results.errors.values())
    lock_errors = results.lock_errors + stderr_locked
    where = "one PostgreSQL database" if store.postgres else "one file"
    print(f"multiprocess-load summary ({store.name})")
    print(f"  store:              {store.name}")
    print(f"  workers:            {args.workers} processes on {where}, {args.sessions} sessions each at a time")
    print(f"  run time:           {elapsed:.1f} s")
    print(f"  requests:           {total} ({total / elapsed:.1f}/s, {store.name})")
    print(f"  sessions:           {len(results.sessions)} opened")
    print(
        f"  acknowledged writes: consent changes {len(results.consents)}, requests {len(results.requests)}, "
        f"erasures {len(results.erasures)}"
    )
    print(f"  error responses:    {error_count}")
    print(f"  codes refused by a budget: {results.budget_refusals}")
    print(f"  lock errors:        {lock_errors} (responses {results.lock_errors}, stderr {stderr_locked})")
    print(f"  verification:       {'ok' if not problems else 'PROBLEMS'}")
    print(f"  {'method':<18} {'count':>7} {'per s':>7} {'median ms':>10} {'p99 ms':>8}   ({store.name})")
    for method in sorted(results.latencies, key=lambda m: -len(results.latencies[m])):
        values = results.latencies[method]
        print(
            f"  {method:<18} {len(values):>7} {len(values) / elapsed:>7.1f} "
            f"{percentile(values, 0.5) * 1000:>10.1f} {percentile(values, 0.99) * 1000:>8.1f}"
        )
    for key, count in sorted(results.errors.items()):
        print(f"  error: {key} x{count}")
    for problem in problems[:20]:
        print(f"  problem: {problem}")
    for line in sorted(stderr_lines)[:10]:
        print(f"  server stderr: {store.hide(line)[:200]}")
    ok = not problems and lock_errors == 0 and error_count == 0
    store.finish()
    if cwd is not None and not store.left_files(cwd):
        os.rmdir(cwd)
    if ok and (not args.db or store.postgres):
        for name in os.listdir(scratch):
            os.remove(os.path.join(scratch, name))
        os.rmdir(scratch)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
