#!/usr/bin/env python3
"""Kill loop: SIGKILL `policychat serve` at random moments and check no acknowledged write is lost.

It starts `policychat serve --db FILE` again and again on ONE database file, drives writes
over the protocol (consent changes, rights requests through verification, erasures),
pipelining some of them, and kills the server with SIGKILL after a random delay, often
while a write is in flight. Every write whose response line was read in full before the
kill is "acknowledged" and must be in the file afterwards, in its acknowledged state.
Every N kills and at the end the file is opened with Python's sqlite3 and checked:
`PRAGMA integrity_check`, foreign keys, references between tables, and each acknowledged
write. Writes in flight at a kill may land or not, but never half.

`--db` also takes a postgres:// or postgresql:// URL (issue 19): the servers then use a
schema of the run's own, a random data key, and an empty working folder and HOME, and the
same checks read PostgreSQL with psycopg 3 (Tests/Reliability/stores.py says what stands in
for the SQLite-only ones).

Standard library only for SQLite; psycopg for PostgreSQL. Exit status 0 when nothing was
lost or inconsistent, 1 otherwise. All personal data used here is made up (example.org
addresses, fixed test phrases).

    python3 Tests/Reliability/kill-loop.py [BINARY] [--kills 200] [--seed N] [--db PATH|URL]
"""

import argparse
import hashlib
import hmac
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
from pathlib import Path

from stores import Store, is_postgres

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = str(REPO / ".build-dev" / "debug" / "policychat")
PURPOSES = ["session_logging", "analytics", "marketing", "personalisation", "improvement"]
# Request types whose flow ends in a request without erasing or switching consents off
# (those would change what the consent checks expect), and the step each one needs.
REQUEST_TYPES = ["access", "portability", "correction", "complaint", "human_review"]
DETAILS = {
    "correction": "the postal address you hold for me is out of date",
    "complaint": "the assistant answered a question I did not ask",
    "human_review": "please have a person look at my last answer",
}
QUESTIONS = [
    "Do you sell my data?",
    "How long do you keep my data?",
    "Who do you share my information with?",
    "What cookies do you use?",
    "How do I contact the information officer?",
]
REFERENCE = re.compile(r"\bRQ-[A-Z0-9]{6}\b")
# The tables the checks read.
TABLES = ["session", "turn", "consent", "data_subject", "subject_link", "request", "challenge", "audit_log", "deletion_log"]


class Killed(Exception):
    """The server died (we killed it): the iteration is over."""


# The data key every server of the run is given, so that the checks can find a person by
# the blind index of their address (the address itself is encrypted: docs/SECURITY.md).
# A run on PostgreSQL has a random one of its own (main sets it).
DATA_KEY = bytes.fromhex("6b" * 32)


def email_index(email):
    """data_subject.emailIndex of an address: HMAC-SHA-256 of the trimmed, lower-cased address
    under HKDF-SHA-256(key, info "policychat contact index"), as FieldCipher computes it."""
    prk = hmac.new(b"\0" * 32, DATA_KEY, hashlib.sha256).digest()
    index_key = hmac.new(prk, b"policychat contact index\x01", hashlib.sha256).digest()
    return hmac.new(index_key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


class Server:
    """One `policychat serve` process and the requests sent to it, in order."""

    def __init__(self, binary, home, db, stderr_file, env=None, cwd=None):
        self.proc = subprocess.Popen(
            [binary, "serve", "--home", str(home), "--db", db],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            bufsize=0,
            env=env if env is not None else dict(os.environ, POLICYCHAT_DATA_KEY=DATA_KEY.hex()),
            cwd=cwd,
        )
        self.next_id = 0
        self.unanswered = []  # (id, write-or-None), in the order sent
        self.buffer = b""

    def send(self, method, params, write=None):
        """Writes one request. `write` describes the write it makes, if any."""
        self.send_many([(method, params, write)])

    def send_many(self, calls):
        """Pipelines several requests in one write(2)."""
        data = b""
        ids = []
        for method, params, write in calls:
            self.next_id += 1
            ids.append(self.next_id)
            data += (json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}) + "\n").encode()
            self.unanswered.append((self.next_id, write))
            if write is not None:
                write["state"] = "sent"
        try:
            self.proc.stdin.write(data)
        except (BrokenPipeError, OSError):
            raise Killed()
        return ids

    def receive(self):
        """The next response, read in full (a line ended by a newline), or Killed."""
        while b"\n" not in self.buffer:
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise Killed()
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        response = json.loads(line)
        sent_id, write = self.unanswered.pop(0)
        if response.get("id") != sent_id:
            raise SystemExit(f"kill-loop: response id {response.get('id')} for request {sent_id}: out of order")
        return response, write

    def kill(self):
        try:
            self.proc.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass

    def reap(self):
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        # Whatever was sent and not answered was in flight at the kill.
        for _, write in self.unanswered:
            if write is not None and write.get("state") == "sent":
                write["state"] = "inflight"
        self.unanswered = []


class Ledger:
    """Every write sent, with what became of it: sent, acked, inflight (killed before the ack)."""

    def __init__(self):
        self.consents = []  # dicts: device, session, purpose, granted
        self.requests = []  # dicts: type, email, device, reference (once acked)
        self.erasures = []  # dicts: email, device, sessions, reference (once acked)
        self.sessions = {}  # session id -> dict: device, acked turns, closed
        self.device_sessions = {}  # device -> [session ids], in order
        self.errors = []  # error responses to writes (there should be none)


def fail_message(response):
    error = response.get("error") or {}
    return f"{error.get('code')} {(error.get('data') or {}).get('reason')}"


class Driver:
    def __init__(self, args, ledger, rng):
        self.args = args
        self.ledger = ledger
        self.rng = rng
        self.flow = 0

    # One session and its writes. Each step raises Killed when the server dies.

    def open_session(self, server, device):
        _, response = self.call(server, "session.open", {"country": "ZA", "deviceId": device})
        if "result" not in response:
            self.ledger.errors.append("session.open " + fail_message(response))
            return None
        sid = response["result"]["sessionId"]
        self.ledger.sessions[sid] = {"device": device, "turns": 1, "closed": False}
        self.ledger.device_sessions.setdefault(device, []).append(sid)
        return sid

    def call(self, server, method, params, write=None):
        server.send(method, params, write)
        response, write = server.receive()
        self.acknowledge(response, write, method, params)
        return write, response

    def acknowledge(self, response, write, method, params):
        if "result" in response and method != "session.open":
            session = self.ledger.sessions.get(params.get("sessionId"))
            if session is not None and method != "session.close":
                session["turns"] += 1
        if write is None:
            return
        if "result" not in response:
            write["state"] = "error"
            self.ledger.errors.append(f"{method} {fail_message(response)}")
            return
        result = response["result"]
        if write["kind"] == "consent":
            shown = (result.get("state") or {}).get("consents", {}).get(write["purpose"])
            expected = "given" if write["granted"] else "refused"
            if shown != expected:
                write["state"] = "error"
                self.ledger.errors.append(f"consent.set answered {shown!r} for {expected!r}")
                return
        elif write["kind"] in ("request", "erasure"):
            text = " ".join(reply.get("text", "") for reply in result.get("replies", []))
            found = REFERENCE.search(text)
            done = result.get("intent") in write["intents"]
            if not found or not done:
                write["state"] = "error"
                self.ledger.errors.append(f"{method} ended in {result.get('intent')}, not a request")
                return
            write["reference"] = found.group(0)
        elif write["kind"] == "close":
            self.ledger.sessions[params["sessionId"]]["closed"] = True
        write["state"] = "acked"

    def consent_session(self, server):
        device = f"kl-consent-{self.rng.randrange(self.args.devices)}"
        sid = self.open_session(server, device)
        if sid is None:
            return
        self.call(server, "age.declare", {"sessionId": sid, "age": 34})
        for _ in range(self.rng.randint(1, 3)):
            # A burst of pipelined changes, then the answers in order.
            calls = []
            for _ in range(self.rng.randint(1, 6)):
                purpose = self.rng.choice(PURPOSES)
                granted = self.rng.random() < 0.5
                write = {"kind": "consent", "device": device, "session": sid, "purpose": purpose, "granted": granted}
                self.ledger.consents.append(write)
                calls.append(("consent.set", {"sessionId": sid, "purpose": purpose, "granted": granted}, write))
            if self.rng.random() < 0.5:
                calls.append(("chat.send", {"sessionId": sid, "text": self.rng.choice(QUESTIONS)}, None))
            server.send_many(calls)
            for method, params, _ in calls:
                response, write = server.receive()
                self.acknowledge(response, write, method, params)
        if self.rng.random() < 0.3:
            write = {"kind": "close"}
            self.call(server, "session.close", {"sessionId": sid}, write)

    def request_session(self, server, erasure):
        self.flow += 1
        tag = f"{self.args.seed}-{self.flow}-{os.getpid()}"
        device = f"kl-{'erase' if erasure else 'request'}-{tag}"
        email = f"kl.{tag}@example.org"
        sid = self.open_session(server, device)
        if sid is None:
            return
        # The age screen comes before any request.
        self.call(server, "age.declare", {"sessionId": sid, "age": 41})
        if erasure:
            # Something to erase: a consent and a turn.
            self.call(server, "consent.set", {"sessionId": sid, "purpose": "analytics", "granted": True})
            self.call(server, "chat.send", {"sessionId": sid, "text": self.rng.choice(QUESTIONS)})
            kind = "erasure"
            write = {"kind": "erasure", "email": email, "device": device, "intents": {"request.erasure_done"}}
            self.ledger.erasures.append(write)
        else:
            kind = self.rng.choice(REQUEST_TYPES)
            write = {
                "kind": "request",
                "type": kind,
                "email": email,
                "device": device,
                "intents": {
                    "request.access_done",
                    "request.portability_done",
                    "request.passed_on",
                    "request.complaint_recorded",
                    "request.received",
                },
            }
            self.ledger.requests.append(write)
        # request.start and request.identify need nothing from each other: pipelined.
        calls = [
            ("request.start", {"sessionId": sid, "type": kind}, None),
            ("request.identify", {"sessionId": sid, "email": email}, None),
        ]
        server.send_many(calls)
        code = None
        for method, params, _ in calls:
            response, _ = server.receive()
            self.acknowledge(response, None, method, params)
            for event in (response.get("result") or {}).get("events", []):
                if event.get("type") == "verification.send":
                    code = event["data"]["code"]
        if code is None:
            self.ledger.errors.append(f"request.identify sent no code ({kind})")
            return
        calls = [("request.verify", {"sessionId": sid, "code": code}, None if kind in DETAILS or erasure else write)]
        if kind in DETAILS:
            calls.append(("request.details", {"sessionId": sid, "text": DETAILS[kind]}, write))
        elif erasure:
            calls.append(("request.confirm", {"sessionId": sid, "confirm": True}, write))
        server.send_many(calls)
        for method, params, _ in calls:
            response, w = server.receive()
            self.acknowledge(response, w, method, params)

    def run_until_killed(self, server):
        self.call(server, "initialize", {})
        while True:
            roll = self.rng.random()
            if roll < 0.5:
                self.consent_session(server)
            elif roll < 0.8:
                self.request_session(server, erasure=False)
            else:
                self.request_session(server, erasure=True)


def check(store, ledger):
    """Checks the file (or the PostgreSQL schema); returns (problems, landed counts of in-flight writes)."""
    problems = []
    landed = {"consent": 0, "request": 0, "erasure": 0}
    conn = store.connect()
    try:
        if store.postgres:
            missing = store.postgres_missing(conn, TABLES)
            if missing:
                return [missing], landed
            problems += [f"integrity: {p}" for p in store.postgres_integrity(conn)]
            fk = store.postgres_foreign_keys(conn)
            if fk:
                problems.append(f"foreign keys: {sum(n for _, n in fk)} rows violate {[name for name, _ in fk]}")
        else:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                problems.append(f"integrity_check: {integrity[:5]}")
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(f"foreign_key_check: {len(fk)} rows violate foreign keys")
        for sql, what in [
            ("SELECT COUNT(*) FROM request WHERE subjectId NOT IN (SELECT id FROM data_subject)", "requests without subject"),
            ("SELECT COUNT(*) FROM subject_link WHERE subjectId NOT IN (SELECT id FROM data_subject)", "links without subject"),
            ("SELECT COUNT(*) FROM turn WHERE sessionId NOT IN (SELECT id FROM session)", "turns without session"),
            (
                "SELECT COUNT(*) FROM challenge WHERE reference LIKE 'RQ-%' AND reference NOT IN (SELECT reference FROM request)",
                "codes retagged to a missing request",
            ),
            # A request is made in one transaction: never half made by a kill.
            ("SELECT COUNT(*) FROM request WHERE type = 'erasure' AND status != 'completed'", "erasures not completed"),
            (
                "SELECT COUNT(*) FROM request WHERE type IN ('access', 'portability') AND status != 'completed'",
                "access or portability requests not completed",
            ),
            (
                "SELECT COUNT(*) FROM request WHERE reference NOT IN "
                "(SELECT reference FROM audit_log WHERE action = 'received' AND reference IS NOT NULL)",
                "requests without their audit entry",
            ),
        ]:
            count = conn.execute(sql).fetchone()[0]
            if count:
                problems.append(f"{what}: {count}")

        erased_devices = set()
        # Erasures: an acknowledged one is done, with its tombstone; one in flight is all or nothing.
        completed = {
            row["reference"]: row
            for row in conn.execute("SELECT * FROM request WHERE type = 'erasure' AND status = 'completed'")
        }
        expected_erasures = 0
        for write in ledger.erasures:
            if write.get("state") not in ("acked", "inflight"):
                continue
            sessions = ledger.device_sessions.get(write["device"], [])
            marks = ",".join("?" * len(sessions))
            live_sessions = conn.execute(f"SELECT COUNT(*) FROM session WHERE id IN ({marks})", sessions).fetchone()[0]
            live_consents = conn.execute(
                f"SELECT COUNT(*) FROM consent WHERE sessionId IN ({marks})", sessions
            ).fetchone()[0]
            live_turns = conn.execute(f"SELECT COUNT(*) FROM turn WHERE sessionId IN ({marks})", sessions).fetchone()[0]
            live_subject = conn.execute(
                "SELECT COUNT(*) FROM data_subject WHERE emailIndex = ?", [email_index(write["email"])]
            ).fetchone()[0]
            gone = live_sessions == 0 and live_consents == 0 and live_turns == 0 and live_subject == 0
            if write.get("state") == "acked":
                erased_devices.add(write["device"])
                expected_erasures += 1
                reference = write["reference"]
                row = completed.get(reference)
                if row is None:
                    problems.append(f"LOST: acknowledged erasure {reference} has no completed request")
                    continue
                subject = conn.execute("SELECT * FROM data_subject WHERE id = ?", [row["subjectId"]]).fetchone()
                if subject is None or subject["email"] is not None or subject["erasedAt"] is None:
                    problems.append(f"LOST: erasure {reference}: the subject is not a tombstone")
                if not gone:
                    problems.append(
                        f"LOST: erasure {reference}: data left (sessions {live_sessions}, consents {live_consents}, "
                        f"turns {live_turns}, subject {live_subject})"
                    )
                if not conn.execute("SELECT 1 FROM deletion_log WHERE reference = ?", [reference]).fetchone():
                    problems.append(f"LOST: erasure {reference}: not in the deletion log")
                if not conn.execute(
                    "SELECT 1 FROM audit_log WHERE reference = ? AND action = 'completed'", [reference]
                ).fetchone():
                    problems.append(f"LOST: erasure {reference}: no completion in the audit log")
            else:
                # The erasure deletes the session first of all; with it gone, nothing else may be left.
                partly = live_sessions == 0 and not gone
                if gone:
                    landed["erasure"] += 1
                    erased_devices.add(write["device"])
                    expected_erasures += 1
                elif partly:
                    problems.append("erasure in flight at a kill was carried out only in part")
                else:
                    # Not carried out: its earlier writes must all be there.
                    pass
        if len(completed) != expected_erasures:
            problems.append(
                f"{len(completed)} completed erasures in the file, {expected_erasures} acknowledged or landed"
            )

        # Requests: acknowledged ones are there, with their type, subject and audit entry.
        for write in ledger.requests:
            if write.get("state") == "acked":
                row = conn.execute("SELECT * FROM request WHERE reference = ?", [write["reference"]]).fetchone()
                if row is None:
                    problems.append(f"LOST: acknowledged {write['type']} request {write['reference']}")
                    continue
                subject = conn.execute(
                    "SELECT email, emailIndex FROM data_subject WHERE id = ?", [row["subjectId"]]
                ).fetchone()
                # The address is stored encrypted ("enc1:..."), found by its blind index.
                if (row["type"] != write["type"] or subject is None
                        or subject["emailIndex"] != email_index(write["email"])
                        or not (subject["email"] or "").startswith("enc1:")):
                    problems.append(f"request {write['reference']}: wrong type or subject")
                wanted = "completed" if write["type"] in ("access", "portability") else "open"
                if row["status"] != wanted:
                    problems.append(f"request {write['reference']}: status {row['status']}, acknowledged {wanted}")
                if not conn.execute(
                    "SELECT 1 FROM audit_log WHERE reference = ? AND action = 'received'", [write["reference"]]
                ).fetchone():
                    problems.append(f"LOST: request {write['reference']}: not in the audit log")
            elif write.get("state") == "inflight":
                found = conn.execute(
                    "SELECT COUNT(*) FROM request JOIN data_subject ON data_subject.id = request.subjectId "
                    "WHERE data_subject.emailIndex = ? AND request.type = ?",
                    [email_index(write["email"]), write["type"]],
                ).fetchone()[0]
                if found:
                    landed["request"] += 1

        # Sessions: an acknowledged open is stored (unless erased since), a close has its time,
        # and every acknowledged turn has its turn record.
        for sid, session in ledger.sessions.items():
            if session["device"] in erased_devices:
                continue
            row = conn.execute("SELECT closedAt FROM session WHERE id = ?", [sid]).fetchone()
            if row is None:
                problems.append("LOST: an acknowledged session.open")
                continue
            if session["closed"] and row["closedAt"] is None:
                problems.append("LOST: an acknowledged session.close")
            turns = conn.execute("SELECT COUNT(*) FROM turn WHERE sessionId = ?", [sid]).fetchone()[0]
            if turns < session["turns"]:
                problems.append(f"LOST: {session['turns'] - turns} acknowledged turn records of a session")

        # Consents, per device and purpose, in order. The engine writes a row only when a change
        # alters the state (on after off or nothing, off after on or nothing), so replay the
        # writes against the rows: an acknowledged change must match the next row; one in flight
        # may match it (landed) or not; rows left over were never asked for.
        groups = {}
        for write in ledger.consents:
            if write.get("state") in ("acked", "inflight"):
                groups.setdefault((write["device"], write["purpose"]), []).append(write)
        for (device, purpose), writes in groups.items():
            if device in erased_devices:
                continue
            sessions = ledger.device_sessions.get(device, [])
            marks = ",".join("?" * len(sessions))
            rows = conn.execute(
                f"SELECT sessionId, granted FROM consent WHERE purpose = ? AND sessionId IN ({marks}) ORDER BY id",
                [purpose] + sessions,
            ).fetchall()
            position = 0
            current = None
            for write in writes:
                if write["granted"] == current:
                    continue
                row = rows[position] if position < len(rows) else None
                matches = row is not None and bool(row["granted"]) == write["granted"] and row["sessionId"] == write["session"]
                if matches:
                    position += 1
                    current = write["granted"]
                    if write.get("state") == "inflight":
                        landed["consent"] += 1
                elif write.get("state") == "acked":
                    problems.append(f"LOST: acknowledged consent {purpose}={write['granted']} (device {device})")
                    # Carry on from the acknowledged state, to report each loss once.
                    current = write["granted"]
            if position < len(rows):
                problems.append(f"{len(rows) - position} unexpected consent rows for {purpose} (device {device})")
    finally:
        conn.close()
    return problems, landed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", nargs="?", default=os.environ.get("POLICYCHAT_BIN", DEFAULT_BIN))
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--db",
        default=None,
        help="the database file (default: a new one in a temporary folder), or a postgres:// URL",
    )
    parser.add_argument("--keep-schema", action="store_true", help="with a postgres:// URL: keep the run's schema")
    parser.add_argument("--home", default=str(REPO), help="the folder with knowledge/ (default: the repository)")
    parser.add_argument("--check-every", type=int, default=50, help="check the file every N kills (and at the end)")
    parser.add_argument("--max-delay-ms", type=float, default=60.0, help="the longest wait before a kill")
    parser.add_argument("--devices", type=int, default=6, help="devices whose consents are changed again and again")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1_000_000)
    rng = random.Random(args.seed)
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"kill-loop: no executable at {args.binary} (give its path, or set POLICYCHAT_BIN)")
    global DATA_KEY
    # With a URL, psycopg is imported (or its absence reported) before anything is made.
    store = Store(args.db, "kill-loop", keep_schema=args.keep_schema) if is_postgres(args.db) else None
    scratch = tempfile.mkdtemp(prefix="policychat-kill-loop-")
    env = cwd = None
    if store is not None:
        # The servers run in an empty folder that is their HOME too: nothing may appear in it.
        args.binary = os.path.abspath(args.binary)
        args.home = os.path.abspath(args.home)
        cwd = tempfile.mkdtemp(prefix="policychat-kill-loop-home-")
        env = store.server_env(cwd)
        DATA_KEY = bytes.fromhex(store.data_key)
        db = store.serve_db
    else:
        db = args.db or os.path.join(scratch, "kill-loop.db")
        if os.path.exists(db):
            sys.exit(f"kill-loop: {db} exists; give a new path (the checks expect a file only this run wrote)")
        store = Store(db, "kill-loop")
    stderr_path = os.path.join(scratch, "stderr.log")
    print(f"kill-loop: binary {args.binary}, seed {args.seed}, db {store.shown}, {args.kills} kills", flush=True)
    store.note()

    ledger = Ledger()
    driver = Driver(args, ledger, rng)
    problems = []
    landed_total = {"consent": 0, "request": 0, "erasure": 0}
    kills = 0
    startup_kills = 0
    unsettled = 0  # kills after which a dead server's PostgreSQL connection lingered (settle)
    started = time.monotonic()
    with open(stderr_path, "ab") as stderr_file:
        while kills < args.kills:
            server = Server(args.binary, args.home, db, stderr_file, env=env, cwd=cwd)
            # Most kills come a random few tens of ms into the work; some during start-up,
            # while the file is opened (and, the first time, migrated).
            if rng.random() < 0.1:
                delay = rng.uniform(0, 0.3)
                startup_kills += 1
            else:
                delay = None
            timer = None
            if delay is not None:
                timer = threading.Timer(delay, server.kill)
                timer.start()
            try:
                if delay is None:
                    driver.call(server, "initialize", {})
                    # A few runs last longer, so that the longest flows (an erasure takes eight
                    # round trips) are acknowledged too, not only cut short.
                    longest = args.max_delay_ms * (6 if rng.random() < 0.25 else 1)
                    timer = threading.Timer(rng.uniform(0, longest) / 1000.0, server.kill)
                    timer.start()
                driver.run_until_killed(server)
            except Killed:
                pass
            except json.JSONDecodeError:
                problems.append("a response line was not JSON")
            if timer is not None:
                timer.cancel()
            server.kill()
            server.reap()
            if server.proc.returncode != -signal.SIGKILL:
                problems.append(f"the server exited with {server.proc.returncode}, not by the kill")
            if store.postgres and store.settle():
                unsettled += 1
            kills += 1
            if kills % args.check_every == 0 or kills == args.kills:
                found, _ = check(store, ledger)
                if found:
                    problems += [f"after {kills} kills: {p}" for p in found]
                    break
                print(f"kill-loop: {kills} kills, {'schema' if store.postgres else 'file'} consistent", flush=True)
    elapsed = time.monotonic() - started
    final_problems, landed_total = check(store, ledger)
    for p in final_problems:
        if p not in problems:
            problems.append(p)
    if cwd is not None:
        left = store.left_files(cwd)
        if left:
            problems.append(
                store.hide(f"files created with a PostgreSQL store in the servers' folder and HOME {cwd}: {left[:10]}")
            )

    stderr_text = Path(stderr_path).read_text(errors="replace")
    locked = store.lock_errors(stderr_text)
    stderr_lines = sorted({line for line in stderr_text.splitlines() if line.strip()})

    def count(writes, state):
        return sum(1 for w in writes if w.get("state") == state)

    acked = {
        "consent": count(ledger.consents, "acked"),
        "request": count(ledger.requests, "acked"),
        "erasure": count(ledger.erasures, "acked"),
        "session.open": len(ledger.sessions),
    }
    inflight = {
        "consent": count(ledger.consents, "inflight"),
        "request": count(ledger.requests, "inflight"),
        "erasure": count(ledger.erasures, "inflight"),
    }
    lost = [p for p in problems if "LOST" in p]
    print(f"kill-loop summary ({store.name})")
    print(f"  store:                    {store.name}")
    print(f"  kills:                    {kills} ({startup_kills} during start-up)")
    print(f"  acknowledged writes:      {sum(acked.values())} " + ", ".join(f"{k} {v}" for k, v in acked.items()))
    print(f"  lost acknowledged writes: {len(lost)}")
    print(
        "  in flight at a kill:      "
        + ", ".join(f"{k} {inflight[k]} (landed {landed_total[k]})" for k in inflight)
    )
    print(f"  error responses to writes: {len(ledger.errors)}")
    print(f"  integrity:                {'ok' if not problems else 'PROBLEMS'}")
    if store.postgres:
        print(f"  lock errors on stderr (deadlock, serialization, lock timeout): {locked}")
        print(f"  connections left after a kill (5 s): {unsettled}")
    else:
        print(f"  'database is locked' on stderr: {locked}")
    print(f"  {'run time (' + store.name + '):':<26}{elapsed:.1f} s")
    for error in sorted(set(ledger.errors))[:10]:
        print(f"  error: {error}")
    for p in problems[:30]:
        print(f"  problem: {p}")
    # The server's stderr carries no personal data by design; show what it said, briefly.
    for line in stderr_lines[:10]:
        print(f"  server stderr: {store.hide(line)[:200]}")
    ok = not problems and not ledger.errors and locked == 0
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
