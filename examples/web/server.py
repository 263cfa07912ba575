#!/usr/bin/env python3
"""A reference web front end for PolicyChat: one `policychat serve` child behind a small web server.

    python3 examples/web/server.py [--port 8000] [--db FILE] [--country ZA] [--no-outbox]

Browser <-> this server (HTTP, JSON) <-> ONE `policychat serve` child (JSON-RPC 2.0 over
stdin/stdout). Standard library only: http.server + threading. See docs/EMBEDDING.md.

- Each browser gets an HttpOnly, SameSite=Strict cookie with a random id; the server maps it
  to a PolicyChat session id, and derives a stable `deviceId` from it (an HMAC under a key
  kept next to the database), so consents follow the browser to its next session.
- One reader thread matches the child's responses to requests by id; requests from many
  browsers may be in flight at once.
- If the child dies, in-flight requests get an error at once, the child is restarted, and
  each page is told (its session was reset) and opens a new one. Consents and requests
  survive: they are in the SQLite file (`--db`, never :memory:).
- Codes the engine asks the host to send (`verification.send`) are never returned to the
  page that caused them. No e-mail is sent: with the development outbox on (the default for
  this example) they are listed at /api/outbox, a stand-in for a mail server.
- Never logs message text, addresses or codes: stderr gets the method, the path and the status.
"""
import argparse
import hashlib
import hmac
import http.server
import itertools
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
STATIC = os.path.join(HERE, "static")
COOKIE = "pc_browser"
COOKIE_MAX_AGE = 180 * 24 * 3600  # strictly necessary: it remembers the consent choices
MAX_BODY = 16 * 1024
PURPOSES = ["analytics", "marketing", "personalisation", "improvement", "session_logging"]
# The methods a page may call; the server adds the sessionId itself.
SESSION_METHODS = {
    "chat.send", "chat.explain", "consent.set", "consent.status", "consent.receipt",
    "age.declare", "country.set", "parental.request", "parental.start", "parental.verify",
    "parental.confirm", "parental.review", "parental.revoke", "parental.delete",
    "parental.newCode", "request.start", "request.identify", "request.verify",
    "request.details", "request.confirm", "request.status", "request.cancel",
}
OTHER_METHODS = {"policy.versions"}
# Host events addressed to someone by e-mail: in production, send them; here, the outbox.
MAIL_EVENTS = {"verification.send", "parental_consent.confirmed", "parental_consent.revoked",
               "parental_consent.deleted"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def log(message):
    """Diagnostics: never message text, addresses or codes."""
    sys.stderr.write(f"web: {message}\n")
    sys.stderr.flush()


class EngineGone(Exception):
    """The child died (or could not be reached) before it answered."""


class EngineTimeout(Exception):
    """The child is alive but did not answer in time."""


class Engine:
    """One `policychat serve` child, restarted when it dies."""

    def __init__(self, argv, on_event_restart):
        self.argv = argv
        self.on_restart = on_event_restart
        self.ids = itertools.count(1)
        self.lock = threading.Lock()         # pending, proc, generation
        self.write_lock = threading.Lock()   # one line at a time on the child's stdin
        self.pending = {}                    # id -> [threading.Event, response or None]
        self.proc = None
        self.generation = 0
        self.restarts = 0
        self.stopping = False
        self.started = threading.Event()
        self._start()

    def _start(self):
        proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None)
        with self.lock:
            self.proc = proc
            self.generation += 1
            generation = self.generation
        log(f"policychat serve started (pid {proc.pid}, generation {generation})")
        threading.Thread(target=self._read, args=(proc, generation), daemon=True).start()
        self.started.set()

    def _read(self, proc, generation):
        """The reader thread: every line is a response; hand it to the request with its id."""
        for raw in proc.stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                log("policychat sent a line that is not JSON; ignored")
                continue
            with self.lock:
                slot = self.pending.pop(message.get("id"), None) if isinstance(message, dict) else None
            if slot is not None:
                slot[1] = message
                slot[0].set()
        code = proc.wait()
        if self.stopping:
            return
        log(f"policychat serve (generation {generation}) ended with status {code}; restarting")
        self._fail(generation)  # in-flight requests: a clear error now, not a hang
        delay = 0.2
        while not self.stopping:
            time.sleep(delay)
            try:
                self._start()
                break
            except OSError as error:
                log(f"cannot start policychat ({error.strerror}); retrying")
                delay = min(delay * 2, 10)
        self.restarts += 1
        self._fail(generation)  # any written to the dead child while it was going
        self.on_restart()

    def _fail(self, generation):
        with self.lock:
            dead = [k for k, slot in self.pending.items() if slot[2] <= generation]
            slots = [self.pending.pop(k) for k in dead]
        for slot in slots:
            slot[0].set()

    def call(self, method, params=None, timeout=30):
        """Send one request and wait for its response; EngineGone if the child died first."""
        event = threading.Event()
        with self.lock:
            proc, generation = self.proc, self.generation
            slot = [event, None, generation]
            request_id = next(self.ids)
            self.pending[request_id] = slot
        line = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method,
                           "params": params or {}}, ensure_ascii=False) + "\n"
        try:
            with self.write_lock:
                proc.stdin.write(line.encode("utf-8"))
                proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            with self.lock:
                self.pending.pop(request_id, None)
            raise EngineGone()
        if not event.wait(timeout):
            with self.lock:
                self.pending.pop(request_id, None)
            raise EngineTimeout()
        if slot[1] is None:
            raise EngineGone()
        return slot[1], generation

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def stop(self):
        self.stopping = True
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # end of input: the child closes its sessions, exits 0
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()


class Outbox:
    """Development stand-in for e-mail: what the host would have sent, newest first."""

    def __init__(self, enabled):
        self.enabled = enabled
        self.items = []
        self.lock = threading.Lock()
        self.serial = itertools.count(1)

    def add(self, event_type, data):
        if not self.enabled:
            return
        with self.lock:
            self.items.insert(0, {"id": next(self.serial), "at": time.strftime("%H:%M:%S"),
                                  "type": event_type, "data": data})
            del self.items[100:]

    def list(self):
        with self.lock:
            return list(self.items)


def load_purposes(home):
    """Titles and descriptions of the consent purposes, read from knowledge/consent.yaml.

    A deliberately small reader for that file's simple layout (two-space purpose keys,
    four-space `title:` and `description:` lines); names alone if it cannot be read."""
    found = {p: {"purpose": p, "title": p.replace("_", " ").capitalize(), "description": ""}
             for p in PURPOSES}
    try:
        with open(os.path.join(home, "knowledge", "consent.yaml"), encoding="utf-8") as f:
            current, in_purposes = None, False
            for line in f:
                if re.match(r"^\S", line):
                    in_purposes = line.startswith("purposes:")
                    current = None
                    continue
                if not in_purposes:
                    continue
                key = re.match(r"^  ([a-z_]+):\s*$", line)
                if key:
                    current = key.group(1)
                    continue
                field = re.match(r"^    (title|description):\s*(.*)$", line)
                if field and current in found:
                    value = field.group(2).strip()
                    if value[:1] in "\"'" and value[-1:] == value[:1]:
                        value = value[1:-1]
                    found[current][field.group(1)] = value
    except OSError:
        pass
    return [found[p] for p in PURPOSES]


class App:
    """State shared by the request handlers."""

    def __init__(self, options):
        self.options = options
        state_dir = os.path.dirname(os.path.abspath(options.db))
        os.makedirs(state_dir, exist_ok=True)
        self.device_key = self._device_key(os.path.join(state_dir, "policychat-web.key"))
        self.sessions = {}  # browser id -> {"sessionId", "generation"}
        self.lock = threading.Lock()
        self.outbox = Outbox(options.outbox)
        self.purposes = load_purposes(options.home)
        argv = [options.bin, "serve", "--home", options.home, "--db", options.db]
        self.engine = Engine(argv, self._restarted)
        info, _ = self.engine.call("initialize")
        result = info.get("result") or {}
        if result.get("protocolVersion") != "1":
            raise SystemExit("web: policychat speaks an unknown protocol version")
        # A method that states a verification done elsewhere is the host's alone: a page
        # that could call it could verify a child's parent itself.
        exposed = SESSION_METHODS.intersection(result.get("hostOnlyMethods", []))
        if exposed:
            raise SystemExit("web: host-only methods offered to pages: " + ", ".join(sorted(exposed)))
        self.policy = result.get("policy", {})

    @staticmethod
    def _device_key(path):
        try:
            with open(path, "rb") as f:
                key = f.read()
            if len(key) >= 32:
                return key
        except OSError:
            pass
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        return key

    def _restarted(self):
        with self.lock:
            self.sessions.clear()  # every session id belonged to the dead child

    def device_id(self, browser):
        return "web-" + hmac.new(self.device_key, browser.encode(), hashlib.sha256).hexdigest()[:32]

    def open_session(self, browser, signals, country):
        params = {"deviceId": self.device_id(browser), "signals": signals, "locale": "en"}
        if country or self.options.country:
            params["country"] = country or self.options.country
        with self.lock:
            old = self.sessions.pop(browser, None)
        if old and old["generation"] == self.engine.generation:
            try:
                self.engine.call("session.close", {"sessionId": old["sessionId"]})
            except (EngineGone, EngineTimeout):
                pass
        response, generation = self.engine.call("session.open", params)
        if "result" in response:
            with self.lock:
                self.sessions[browser] = {"sessionId": response["result"]["sessionId"],
                                          "generation": generation}
        return response, generation

    def session_of(self, browser):
        with self.lock:
            entry = self.sessions.get(browser)
        if entry and entry["generation"] == self.engine.generation:
            return entry
        return None

    def deliver(self, result):
        """Take the host's events out of a Turn before the page sees it."""
        if not isinstance(result, dict) or not isinstance(result.get("events"), list):
            return result
        kept = []
        for event in result["events"]:
            kind, data = event.get("type"), event.get("data") or {}
            if kind in MAIL_EVENTS:
                # In production: e-mail `data["to"]` here. Never return the code to the page.
                self.outbox.add(kind, data)
                kept.append({"type": kind, "data": {k: v for k, v in data.items()
                                                    if k in ("reference", "purpose", "expiresAt")}})
            elif kind in ("request.export", "consent.receipt", "policy.archive"):
                kept.append(event)  # for the person in this session: offered as a download
            elif kind == "transcript.deleted":
                # This server keeps no copy of conversations, so there is nothing to delete.
                self.outbox.add(kind, {"lines": data.get("lines"), "note": "no copy kept by the web server"})
                kept.append(event)
            else:
                kept.append(event)
        result["events"] = kept
        return result


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "PolicyChatWeb/1"
    protocol_version = "HTTP/1.1"
    app: App = None
    allowed_hosts: set = set()
    allowed_origins: set = set()
    cookie_name = COOKIE
    cookie_flags = "Path=/; HttpOnly; SameSite=Strict"

    # ----- plumbing -----
    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away (a navigation, a closed tab)

    def log_message(self, fmt, *args):  # the path only: no query strings, no bodies
        pass

    def log_request(self, code="-", size="-"):
        path = urllib.parse.urlsplit(self.path).path
        log(f"{self.command} {path} {code}")

    def _headers(self, status, content_type, length, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Cache-Control", "no-store")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()

    def _json(self, status, body, extra=()):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self._headers(status, "application/json; charset=utf-8", len(data), extra)
        self.wfile.write(data)

    def _browser(self):
        """The browser id from the cookie; (id, Set-Cookie header or None)."""
        cookies = {}
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            cookies[name] = value
        browser = cookies.get(self.cookie_name, "")
        if re.fullmatch(r"[A-Za-z0-9_-]{32,64}", browser):
            return browser, None
        browser = secrets.token_urlsafe(32)
        cookie = f"{self.cookie_name}={browser}; {self.cookie_flags}; Max-Age={COOKIE_MAX_AGE}"
        return browser, ("Set-Cookie", cookie)

    def _host_allowed(self):
        """Only the names this server is meant to be reached by (DNS rebinding)."""
        return self.headers.get("Host", "") in self.allowed_hosts

    def _same_origin(self):
        """A JSON POST must come from our own page: Origin (or Sec-Fetch-Site) says so."""
        origin = self.headers.get("Origin")
        if origin is not None:
            return origin in self.allowed_origins
        return self.headers.get("Sec-Fetch-Site") == "same-origin"

    def _body(self):
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            self._json(415, {"error": {"reason": "json_only"}})
            return None
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._json(411, {"error": {"reason": "length_required"}})
            return None
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._json(413, {"error": {"reason": "too_large"}})
            return None
        try:
            raw = self.rfile.read(length)
            self.body_read = True
            body = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            self._json(400, {"error": {"reason": "invalid_json"}})
            return None
        if not isinstance(body, dict):
            self._json(400, {"error": {"reason": "invalid_json"}})
            return None
        return body

    # ----- GET -----
    def do_HEAD(self):
        self._headers(405, "text/plain", 0, [("Allow", "GET, POST")])

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        app = self.app
        if not self._host_allowed():
            self._json(421, {"error": {"reason": "unknown_host"}})
            return
        if path in ("/", "/index.html"):
            browser, cookie = self._browser()
            self._file("index.html", "text/html; charset=utf-8", [cookie] if cookie else [])
        elif path in ("/app.js", "/app.css"):
            kind = "text/javascript; charset=utf-8" if path.endswith(".js") else "text/css; charset=utf-8"
            self._file(path[1:], kind)
        elif path == "/favicon.ico":
            self._headers(204, "image/x-icon", 0)
        elif path == "/api/config":
            self._json(200, {"purposes": app.purposes, "policy": app.policy,
                             "outbox": app.outbox.enabled})
        elif path == "/api/outbox":
            browser, _ = self._browser()
            entry = app.session_of(browser)
            self._json(200, {"enabled": app.outbox.enabled, "items": app.outbox.list(),
                             "generation": app.engine.generation,
                             "session": bool(entry)})
        else:
            self._json(404, {"error": {"reason": "not_found"}})

    def _file(self, name, kind, extra=()):
        try:
            with open(os.path.join(STATIC, name), "rb") as f:
                data = f.read()
        except OSError:
            self._json(404, {"error": {"reason": "not_found"}})
            return
        self._headers(200, kind, len(data), extra)
        self.wfile.write(data)

    # ----- POST -----
    def do_POST(self):
        self.body_read = False
        try:
            self._post()
        finally:
            if not self.body_read:  # answered without reading the body: do not parse it as a request
                self.close_connection = True

    def _post(self):
        path = urllib.parse.urlsplit(self.path).path
        if not self._host_allowed():
            self._json(421, {"error": {"reason": "unknown_host"}})
            return
        if not self._same_origin():
            self._json(403, {"error": {"reason": "cross_origin"}})
            return
        browser, cookie = self._browser()
        if cookie:  # a JSON call without our cookie: no session to act on
            self._json(403, {"error": {"reason": "no_cookie",
                                       "message": "Your browser did not send this site's cookie; please reload the page."}})
            return
        body = self._body()
        if body is None:
            return
        if path == "/api/session":
            self._open(browser, body)
        elif path == "/api/call":
            self._call(browser, body)
        else:
            self._json(404, {"error": {"reason": "not_found"}})

    def _open(self, browser, body):
        app = self.app
        raw = body.get("signals") if isinstance(body.get("signals"), dict) else {}
        signals = {"dnt": raw.get("dnt") is True, "gpc": raw.get("gpc") is True}
        country = body.get("country") if isinstance(body.get("country"), str) else None
        try:
            response, generation = app.open_session(browser, signals, country)
        except EngineTimeout:
            self._json(504, {"error": {"reason": "timeout", "message": "The assistant did not answer in time."}})
            return
        except EngineGone:
            self._json(503, {"error": {"reason": "engine_restarting",
                                       "message": "The assistant is restarting; try again in a moment."}})
            return
        if "error" in response:
            self._json(400, {"error": response["error"]})
            return
        result = app.deliver(response["result"])
        self._json(200, {"result": result, "generation": generation, "restarts": app.engine.restarts})

    def _call(self, browser, body):
        app = self.app
        method = body.get("method")
        params = body.get("params") if isinstance(body.get("params"), dict) else {}
        if method not in SESSION_METHODS and method not in OTHER_METHODS:
            self._json(400, {"error": {"reason": "method_not_allowed"}})
            return
        params = dict(params)
        params.pop("sessionId", None)
        if method in SESSION_METHODS:
            entry = app.session_of(browser)
            if entry is None:  # never opened, or the child restarted since
                self._json(409, {"error": {"reason": "session_reset",
                                           "message": "The assistant restarted; your conversation was reset."},
                                 "generation": app.engine.generation})
                return
            params["sessionId"] = entry["sessionId"]
        try:
            response, generation = app.engine.call(method, params)
        except EngineTimeout:
            self._json(504, {"error": {"reason": "timeout", "message": "The assistant did not answer in time."}})
            return
        except EngineGone:
            self._json(503, {"error": {"reason": "engine_restarted",
                                       "message": "The assistant stopped before it answered and is restarting; "
                                                  "your conversation was reset."}})
            return
        if "error" in response:
            error = response["error"]
            status = 409 if (error.get("data") or {}).get("reason") == "unknown_session" else 400
            self._json(status, {"error": error})
            return
        self._json(200, {"result": app.deliver(response["result"]), "generation": generation})


def main():
    parser = argparse.ArgumentParser(description="PolicyChat reference web front end")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--bin", default=os.environ.get("POLICYCHAT_BIN")
                        or os.path.join(REPO, ".build", "debug", "policychat"))
    parser.add_argument("--home", default=os.environ.get("POLICYCHAT_HOME") or REPO)
    state = os.path.join(os.environ.get("XDG_STATE_HOME") or tempfile.gettempdir(), "policychat-web")
    parser.add_argument("--db", default=os.environ.get("POLICYCHAT_DB")
                        or os.path.join(state, "policychat.sqlite"),
                        help="the SQLite file (consents and requests must survive a restart)")
    parser.add_argument("--country", default=os.environ.get("POLICYCHAT_COUNTRY"),
                        help="a country to pass to session.open (e.g. from GeoIP); default: ask")
    parser.add_argument("--no-outbox", dest="outbox", action="store_false",
                        help="turn off the development outbox (production: deliver mail instead)")
    parser.add_argument("--public-origin", action="append", default=[],
                        help="an origin the page is served from, e.g. https://chat.example.com behind a TLS "
                             "proxy (repeatable); an https origin makes the cookie Secure and __Host-")
    parser.add_argument("--port-file", help="write the port listened on to this file (tests)")
    options = parser.parse_args()
    if options.db == ":memory:":
        parser.error("--db must be a file: consents and requests must survive a restart")
    if not os.access(options.bin, os.X_OK):
        parser.error(f"no policychat binary at {options.bin} (set $POLICYCHAT_BIN or --bin)")

    app = App(options)
    Handler.app = app
    httpd = http.server.ThreadingHTTPServer((options.host, options.port), Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    local = {f"{options.host}:{port}", f"127.0.0.1:{port}", f"localhost:{port}"}
    public = [urllib.parse.urlsplit(origin) for origin in options.public_origin]
    Handler.allowed_hosts = local | {p.netloc for p in public}
    Handler.allowed_origins = {f"http://{h}" for h in local} | {f"{p.scheme}://{p.netloc}" for p in public}
    if any(p.scheme == "https" for p in public):
        Handler.cookie_name = "__Host-" + COOKIE
        Handler.cookie_flags += "; Secure"
    if options.port_file:
        with open(options.port_file, "w") as f:
            f.write(str(port))
    if options.outbox:
        log("development outbox ON: codes are listed on the page instead of being e-mailed")
    log(f"listening on http://{options.host}:{port}/ (policychat pid {app.engine.pid})")

    def stop(*_):
        threading.Thread(target=httpd.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        httpd.serve_forever()
    finally:
        app.engine.stop()
        log("stopped")


if __name__ == "__main__":
    main()
