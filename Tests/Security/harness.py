"""Shared helpers for the attack suite (Python 3 standard library only).

- `Server`: one `policychat serve` child (stdin/stdout pipes, line-delimited JSON-RPC 2.0,
  stderr to a file); `call`, `pipeline`, `restart`, `close`.
- `Attack`: a fresh temp folder with a database file and key file per script, the
  binary, budgets from knowledge/verification.yaml, and the verdict helpers
  (`got_through` -> exit 1, `refused` -> exit 0, `cannot_run` -> exit 2).
- Turn helpers: events, codes sent to an address, refusal checks, leak checks.
- `admin(...)`: runs `policychat admin ...` on the same database.
- `db_files_bytes(folder)`: every file of the database's folder as raw bytes.

Everything is bounded: every read has a timeout, every script a deadline.
All personal data is made up (example.org addresses).
"""

import json
import os
import queue
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOME = REPO

DEFAULT_BUDGETS = {
    "perAddress": 5,
    "perOwnDevice": None,
    "perSession": 5,
    "perDevice": 10,
    "wrongGuessesPerAddress": 10,
}


class CannotRun(Exception):
    """The attack could not be carried out (exit 2)."""


class GotThrough(Exception):
    """The attack got through (exit 1)."""


class RPCError(Exception):
    def __init__(self, error):
        super().__init__(json.dumps(error))
        self.error = error
        self.code = error.get("code")


def read_budgets(home=HOME):
    """The `budgets:` block of knowledge/verification.yaml, else the defaults."""
    budgets = dict(DEFAULT_BUDGETS)
    path = Path(home) / "knowledge" / "verification.yaml"
    if not path.exists():
        return budgets
    inside = False
    indent = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if re.match(r"^budgets\s*:\s*(\{.*\})?\s*$", line):
            inline = re.match(r"^budgets\s*:\s*\{(.*)\}\s*$", line)
            if inline:
                for part in inline.group(1).split(","):
                    if ":" in part:
                        k, v = part.split(":", 1)
                        _set_budget(budgets, k.strip(), v.strip())
                return budgets
            inside = True
            continue
        if inside:
            lead = len(line) - len(line.lstrip())
            if lead == 0:
                break
            if indent is None:
                indent = lead
            if lead != indent:
                continue
            m = re.match(r"^\s+([A-Za-z]+)\s*:\s*(\S+)", line)
            if m:
                _set_budget(budgets, m.group(1), m.group(2))
    return budgets


def _set_budget(budgets, key, value):
    try:
        budgets[key] = int(value.strip("'\""))
    except ValueError:
        pass


# ---------------------------------------------------------------- the serve child


class Server:
    """One `policychat serve` process over the attack's database."""

    def __init__(self, attack, db=None, key_file=None, extra_env=None, name="serve"):
        self.attack = attack
        self.db = db or attack.db
        self.key_file = key_file or attack.key_file
        self.extra_env = extra_env or {}
        self.name = name
        self.next_id = 0
        self.proc = None
        self.starts = 0
        self.start()

    def start(self):
        self.starts += 1
        self.stderr_path = self.attack.tmp / f"{self.name}-{self.starts}.stderr"
        self.stderr = open(self.stderr_path, "wb")
        argv = [self.attack.binary, "serve", "--home", str(HOME), "--db", str(self.db)]
        if self.key_file:
            argv += ["--key-file", str(self.key_file)]
        self.proc = subprocess.Popen(
            argv, cwd=str(HOME), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
            bufsize=0, env=dict(os.environ, **self.extra_env))
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True)
        self.reader.start()
        self.attack.servers.append(self)

    @staticmethod
    def _read(out, lines):
        buf = b""
        while True:
            try:
                chunk = os.read(out.fileno(), 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                lines.put(None)
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.strip():
                    lines.put(line)

    def _write(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as e:
            raise CannotRun(f"{self.name}: serve's stdin closed ({e}); stderr: {self.stderr_tail()}")

    def _receive(self, timeout):
        try:
            line = self.lines.get(timeout=max(0.1, min(timeout, self.attack.remaining())))
        except queue.Empty:
            raise CannotRun(f"{self.name}: no response within {timeout:.0f} s")
        if line is None:
            raise CannotRun(f"{self.name}: serve exited (rc {self.proc.poll()}); stderr: {self.stderr_tail()}")
        return json.loads(line)

    def stderr_tail(self):
        try:
            self.stderr.flush()
            return self.stderr_path.read_bytes()[-400:].decode("utf-8", "replace")
        except OSError:
            return ""

    def raw(self, method, params=None, timeout=20):
        """The whole response object (result or error)."""
        return self.pipeline([(method, params)], timeout=timeout)[0]

    def call(self, method, params=None, timeout=20):
        """The result; a JSON-RPC error raises RPCError."""
        response = self.raw(method, params, timeout)
        if "error" in response:
            raise RPCError(response["error"])
        return response["result"]

    def try_call(self, method, params=None, timeout=20):
        """(result, None) or (None, error)."""
        response = self.raw(method, params, timeout)
        if "error" in response:
            return None, response["error"]
        return response["result"], None

    def pipeline(self, calls, timeout=30):
        """Writes every request at once, then reads every response (in order)."""
        data = b""
        ids = []
        for method, params in calls:
            self.next_id += 1
            ids.append(self.next_id)
            message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
            if params is not None:
                message["params"] = params
            data += (json.dumps(message) + "\n").encode()
        writer = threading.Thread(target=self._write_quietly, args=(data,), daemon=True)
        writer.start()
        responses = []
        end = time.monotonic() + timeout
        for expected in ids:
            response = self._receive(end - time.monotonic())
            if response.get("id") != expected:
                raise CannotRun(f"{self.name}: response id {response.get('id')} for {expected}")
            responses.append(response)
        writer.join(5)
        return responses

    def _write_quietly(self, data):
        try:
            self._write(data)
        except CannotRun:
            pass

    # sessions -----------------------------------------------------------

    def open(self, **params):
        return self.call("session.open", params)

    def close(self, timeout=20):
        """Closes stdin and waits for serve to exit."""
        if self.proc is None:
            return
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.stderr.close()
        self.proc = None

    def restart(self):
        self.close()
        self.start()

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        if self.proc is not None:
            self.stderr.close()
        self.proc = None


# ---------------------------------------------------------------- turns


def events(turn, kind=None):
    return [e for e in (turn or {}).get("events", []) if kind is None or e.get("type") == kind]


def sends(turn, to=None):
    """The verification.send events of a turn (to one address, if given; compared exactly
    and also trimmed/lower-cased, so that a server normalising the address still counts)."""
    out = []
    for e in events(turn, "verification.send"):
        t = (e.get("data") or {}).get("to", "")
        if to is None or t == to or t.strip().lower() == to.strip().lower():
            out.append(e)
    return out


def sent_code(turn):
    s = sends(turn)
    return s[-1]["data"].get("code") if s else None


def decision_kind(turn):
    return ((turn or {}).get("decision") or {}).get("kind", "")


def decision_outcome(turn):
    return ((turn or {}).get("decision") or {}).get("outcome", "")


def state(turn):
    return (turn or {}).get("state") or {}


def text_of(turn):
    return "\n".join(r.get("text", "") for r in (turn or {}).get("replies", []))


def is_budget_refusal(turn):
    kind = decision_kind(turn)
    return (kind.endswith("code_budget") or kind.endswith("code_limit") or kind.endswith(".locked")) \
        and not sends(turn)


def is_refusal_decision(turn):
    """Any refusal decision: a budget, a limit, a lock, or another refused outcome."""
    return is_budget_refusal(turn) or decision_outcome(turn) in ("refused", "locked")


def masked(address):
    local, _, domain = address.partition("@")
    return local[:1] + "***@" + domain


def leaks_address(turn, address):
    """Which of the address, its masked form or its domain the replies or decision show."""
    domain = address.partition("@")[2]
    blob = text_of(turn) + "\n" + json.dumps((turn or {}).get("decision") or {})
    blob_l = blob.lower()
    found = []
    for needle in (address, masked(address), domain):
        if needle.lower() in blob_l:
            found.append(needle)
    return found


ADULT = "adult"
UNDER_AGE = ("needs_parental_consent", "below_service_age")


def is_under_age(turn):
    return state(turn).get("ageGate") in UNDER_AGE


def logging_on(turn):
    st = state(turn)
    return st.get("logging") is True or (st.get("consents") or {}).get("session_logging") == "given"


# ---------------------------------------------------------------- files and admin


def db_files_bytes(folder):
    """Every file under the database's folder, as raw bytes: {path: bytes}."""
    out = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            try:
                out[str(path)] = path.read_bytes()
            except OSError:
                pass
    return out


def files_containing(folder, needles):
    """{needle: [file names]} for every needle found in the folder's files' bytes."""
    hits = {}
    blobs = db_files_bytes(folder)
    for needle in needles:
        raw = needle.encode() if isinstance(needle, str) else needle
        variants = {raw, needle.encode("utf-16-le") if isinstance(needle, str) else raw}
        for path, blob in blobs.items():
            if any(v in blob for v in variants):
                hits.setdefault(needle, []).append(Path(path).name)
    return hits


# ---------------------------------------------------------------- the attack


class Attack:
    """One attack script: its folder, database, binary, budgets and verdict."""

    def __init__(self, name, argv=None, deadline=55):
        argv = sys.argv[1:] if argv is None else argv
        if not argv or argv[0] in ("-h", "--help"):
            print(f"usage: {Path(sys.argv[0]).name} BINARY", file=sys.stderr)
            sys.exit(2)
        self.name = name
        self.binary = str(Path(argv[0]).resolve())
        if not os.access(self.binary, os.X_OK):
            print(f"{name}: CANNOT RUN: {self.binary} is not executable")
            sys.exit(2)
        self.started = time.monotonic()
        self.deadline = self.started + deadline
        self.tmp = Path(tempfile.mkdtemp(prefix=f"pc-sec-{name}-"))
        self.dbdir = self.tmp / "db"
        self.dbdir.mkdir()
        self.db = self.dbdir / "policychat.sqlite"
        self.key_file = self.tmp / "data.key"  # outside the db folder
        self.key_file.write_text("6b" * 32 + "\n")
        os.chmod(self.key_file, 0o600)
        self.servers = []
        self.budgets = read_budgets()
        self.notes = []
        self.findings = []  # what got through

    def remaining(self):
        return self.deadline - time.monotonic()

    def out_of_time(self, margin=0):
        return time.monotonic() > self.deadline - margin

    def server(self, **kw):
        return Server(self, **kw)

    def admin(self, *args, timeout=30):
        argv = [self.binary, "admin", *args, "--home", str(HOME), "--db", str(self.db),
                "--key-file", str(self.key_file)]
        return subprocess.run(argv, cwd=str(HOME), capture_output=True, timeout=timeout)

    def sql(self, query, params=()):
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def note(self, text):
        self.notes.append(text)

    def fail(self, text):
        """Records a hole that got through (the attack goes on to measure the rest)."""
        self.findings.append(text)

    def run(self, body):
        code = 0
        try:
            body(self)
            code = 1 if self.findings else 0
        except GotThrough as e:
            self.findings.append(str(e))
            code = 1
        except CannotRun as e:
            self.findings.append(f"could not run: {e}")
            code = 2
        except RPCError as e:
            self.findings.append(f"could not run: unexpected JSON-RPC error {e}")
            code = 2
        except Exception:
            self.findings.append("could not run: " + traceback.format_exc(limit=4).replace("\n", " | "))
            code = 2
        finally:
            for s in self.servers:
                try:
                    s.kill()
                except Exception:
                    pass
        took = time.monotonic() - self.started
        verdict = {0: "REFUSED", 1: "GOT THROUGH", 2: "CANNOT RUN"}[code]
        print(f"{self.name}: {verdict} ({took:.1f} s)")
        for n in self.notes:
            print(f"  measured: {n}")
        for f in self.findings:
            print(f"  {'hole' if code == 1 else 'error'}: {f}")
        if code == 0 or os.environ.get("PC_SEC_KEEP") is None:
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            print(f"  kept: {self.tmp}")
        sys.exit(code)


# ---------------------------------------------------------------- common flows


def wrong_code(right):
    """A six-digit code that is not `right`."""
    for candidate in ("000000", "111111", "222222"):
        if candidate != right:
            return candidate
    return "333333"


def start_request(srv, sid, rtype, age=40):
    """request.start, answering the age screen (country first if asked) with `age`."""
    turn = srv.call("request.start", {"sessionId": sid, "type": rtype})
    for _ in range(3):
        gate = state(turn).get("ageGate")
        if gate == "asking":
            turn = srv.call("age.declare", {"sessionId": sid, "age": age})
            continue
        if state(turn).get("country") is None and "country" in text_of(turn).lower() and gate is None:
            turn = srv.call("country.set", {"sessionId": sid, "country": "ZA"})
            continue
        break
    return turn


def identify(srv, sid, email):
    return srv.call("request.identify", {"sessionId": sid, "email": email})


def verified_request(srv, sid, rtype, email, details=None, confirm=True, age=40):
    """A whole request flow with the right code; returns (last turn, reference or None)."""
    start_request(srv, sid, rtype, age=age)
    turn = identify(srv, sid, email)
    code = sent_code(turn)
    if code is None:
        raise CannotRun(f"{rtype}: no code sent on identify: {text_of(turn)[:200]}")
    turn = srv.call("request.verify", {"sessionId": sid, "code": code})
    for _ in range(3):
        if details is not None and "request.details" not in str(turn.get("_done")) and rtype in ("complaint", "correction", "human_review"):
            turn = srv.call("request.details", {"sessionId": sid, "text": details})
            details = None
            continue
        if rtype == "erasure" and confirm is not None and turn.get("intent") != "request.erasure_done":
            r, err = srv.try_call("request.confirm", {"sessionId": sid, "confirm": confirm})
            if err is None:
                turn = r
                confirm = None
                continue
        break
    refs = re.findall(r"\bRQ-[A-Z0-9]{6}\b", json.dumps(turn))
    return turn, (refs[0] if refs else None)
