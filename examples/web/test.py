#!/usr/bin/env python3
"""A real-browser test of the PolicyChat web example: headless Chromium, driven over the
DevTools protocol through a pipe (--remote-debugging-pipe), standard library only.

    python3 examples/web/test.py [--shots DIR]   (or examples/web/test.sh, which also installs Chromium)

Builds or finds the binary ($POLICYCHAT_BIN, else .build/debug/policychat, else `swift build`),
starts examples/web/server.py on a free port with a scratch database, and checks in the
browser: the AI disclosure; the cookie banner (Reject and Accept equal; Reject, then Cookie
Settings from the footer shows everything off); a policy answer with its cited section and
"Why this answer?"; the age screen; an access request verified with the code from the
development outbox; a child's parental-consent flow with the parent in a second browser
session; SIGKILL of the PolicyChat child (in-flight request answered with an error, page
recovers, consents and the request kept); DNT/GPC passed to session.open; the server's
security basics. Saves screenshots in docs/web/. Exits non-zero on any failure.
"""
import datetime
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHOTS = os.environ.get("POLICYCHAT_WEB_SHOTS") or os.path.join(REPO, "docs", "web")
PURPOSES = ["analytics", "marketing", "personalisation", "improvement", "session_logging"]
STARTED = time.monotonic()
LAST = "[...document.querySelectorAll('#log .msg.assistant')].pop()"  # the latest answer


def step(text):
    print(f"[{time.monotonic() - STARTED:5.1f}s] {text}", flush=True)


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)


# ----- the binary and the browser -----

def find_binary():
    candidates = [os.environ.get("POLICYCHAT_BIN"), os.path.join(REPO, ".build", "debug", "policychat")]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    step("building policychat (swift build)")
    subprocess.run(["swift", "build", "--product", "policychat"], cwd=REPO, check=True)
    return os.path.join(REPO, ".build", "debug", "policychat")


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    raise Failure("no Chromium: run examples/web/test.sh (it installs Debian's chromium) or apt-get install chromium")


class Browser:
    """Chromium with the DevTools protocol on fds 3 (its input) and 4 (its output), NUL-framed."""

    def __init__(self, binary, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def wire():  # in the child: its fd 3 reads our commands, its fd 4 writes answers
            a = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--hide-scrollbars", "--window-size=1280,900", f"--user-data-dir={profile}",
                "about:blank"]
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=wire,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.lock = threading.Lock()
        self.waiting = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self.lock:
                        slot = self.waiting.pop(message["id"], None)
                    if slot:
                        slot[1] = message
                        slot[0].set()
        with self.lock:
            for slot in self.waiting.values():
                slot[0].set()

    def send(self, method, params=None, session=None, timeout=30):
        event = threading.Event()
        slot = [event, None]
        with self.lock:
            self.next_id += 1
            message_id = self.next_id
            self.waiting[message_id] = slot
        message = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        if not event.wait(timeout) or slot[1] is None:
            raise Failure(f"Chromium did not answer {method}")
        if "error" in slot[1]:
            raise Failure(f"{method}: {slot[1]['error'].get('message')}")
        return slot[1].get("result", {})

    def page(self, url, init_script=None):
        """A new tab in its own browser context (its own cookies: a separate browser session)."""
        context = self.send("Target.createBrowserContext")["browserContextId"]
        target = self.send("Target.createTarget", {"url": "about:blank", "browserContextId": context})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        page.send("Page.enable")
        page.send("Runtime.enable")
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        watch = ("window.__problems = [];"
                 "document.addEventListener('securitypolicyviolation', e => window.__problems.push('CSP ' + e.violatedDirective));"
                 "window.addEventListener('error', e => window.__problems.push('error ' + e.message));"
                 "window.addEventListener('unhandledrejection', e => window.__problems.push('rejection ' + e.reason));")
        page.send("Page.addScriptToEvaluateOnNewDocument", {"source": watch + (init_script or "")})
        page.send("Page.navigate", {"url": url})
        return page

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Page:
    def __init__(self, browser, session):
        self.browser, self.session = browser, session

    def send(self, method, params=None):
        return self.browser.send(method, params, session=self.session)

    def js(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise Failure(f"JavaScript failed: {result['exceptionDetails'].get('text')} in {expression[:80]}")
        return result.get("result", {}).get("value")

    def wait(self, expression, what, timeout=15):
        deadline = time.monotonic() + timeout
        guarded = (f"(() => {{ try {{ const v = ({expression}); return v instanceof Node ? true : v; }} "
                   f"catch (e) {{ return null; }} }})()")
        while time.monotonic() < deadline:
            value = self.js(guarded)
            if value:
                return value
            time.sleep(0.1)
        raise Failure(f"timed out waiting for {what}")

    def idle(self):
        self.wait("document.body.dataset.busy === '0' || document.body.dataset.busy === undefined", "the page to be idle")

    def fill(self, selector, value):
        self.js(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            e.value = {json.dumps(value)}; e.dispatchEvent(new Event('input', {{bubbles: true}})); return true; }})()""")

    def click(self, selector):
        check(self.js(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            if (!e || e.offsetParent === null && getComputedStyle(e).position !== 'fixed') return false;
            e.click(); return true; }})()"""), f"{selector} is not there to click")

    def submit(self, form):
        check(self.js(f"""(() => {{ const f = document.querySelector({json.dumps(form)});
            if (!f || f.hidden) return false; f.requestSubmit(); return true; }})()"""), f"{form} is not shown")

    def visible(self, selector):
        return self.js(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0; }})()""")

    def text(self, selector):
        return self.js(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''")

    def assistant_count(self):
        return self.js("document.querySelectorAll('#log .msg.assistant').length")

    def wait_reply(self, before, what):
        self.wait(f"document.querySelectorAll('#log .msg.assistant').length > {before}", what)
        self.idle()
        return self.js(f"{LAST}.textContent")

    def shot(self, name):
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        import base64
        path = os.path.join(SHOTS, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        step(f"screenshot {os.path.relpath(path, REPO)}")


# ----- the server -----

def engine_child(server_pid):
    """The pid of the server's `policychat serve` child."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == server_pid and b"serve" in cmdline:
            return int(entry)
    return None


def outbox(base, purpose=None, kind="verification.send", after=0):
    with urllib.request.urlopen(base + "/api/outbox") as response:
        items = json.load(response)["items"]
    return [i for i in items if i["type"] == kind and i["id"] > after
            and (purpose is None or i["data"].get("purpose") == purpose)]


def wait_mail(base, what, **filters):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = outbox(base, **filters)
        if found:
            return found[0]
        time.sleep(0.1)
    raise Failure(f"no {what} in the outbox")


def http(base, path, body=None, headers=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(base + path, data=data, headers=headers or {},
                                     method="GET" if body is None else "POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# ----- the test -----

def run(base, server, page_for, stderr_path):
    # 1. The disclosure and the cookie banner.
    main = page_for(base + "/")
    main.wait("document.body.dataset.ready === 'true'", "the page to open a session")
    main.idle()
    disclosure = main.text("#disclosure-text")
    check(re.search(r"automated", disclosure, re.I), "the opening turn's disclosure is shown")
    check(main.visible("#automated-label") and "Automated assistant" in main.text("#automated-label"),
          "a persistent 'Automated assistant' label")
    check(main.visible("#cookie-banner"), "the cookie banner is shown on a first visit")
    styles = main.js("""(() => {
        const keys = ['width','height','fontSize','fontWeight','fontFamily','color','backgroundColor',
                      'borderTopWidth','borderTopColor','paddingTop','paddingLeft','borderRadius','textDecorationLine'];
        const pick = (id) => { const e = document.getElementById(id); const s = getComputedStyle(e);
            const r = e.getBoundingClientRect();
            return {style: Object.fromEntries(keys.map(k => [k, s[k]])), w: Math.round(r.width), h: Math.round(r.height),
                    top: Math.round(r.top), parent: e.parentElement.id || e.parentElement.className}; };
        return {accept: pick('cookie-accept'), reject: pick('cookie-reject')}; })()""")
    check(styles["accept"] == styles["reject"],
          f"Accept and Reject look the same and sit at the same level: {styles}")
    check(main.js("[...document.querySelectorAll('#purpose-list input')].every(b => !b.checked)"),
          "no purpose is pre-ticked")
    step("disclosure shown; Accept and Reject have the same computed size and style")
    main.shot("01-disclosure-and-banner.png")

    # 2. Reject, then reopen Cookie Settings from the footer: everything off.
    main.click("#cookie-reject")
    main.wait("document.getElementById('cookie-banner').hidden", "the banner to close after Reject")
    main.idle()
    consents = json.loads(main.js("document.body.dataset.consents") or "{}")
    check(all(consents.get(p) == "refused" for p in PURPOSES), f"every purpose refused: {consents}")
    main.click("#cookie-settings-link")
    main.wait("!document.getElementById('cookie-settings').hidden", "Cookie Settings to open from the footer")
    boxes = main.js("[...document.querySelectorAll('#purpose-list input')].map(b => [b.dataset.purpose, b.checked])")
    check(sorted(p for p, _ in boxes) == sorted(PURPOSES) and not any(on for _, on in boxes),
          f"Cookie Settings shows every purpose, all off: {boxes}")
    step("rejected; Cookie Settings (footer) shows all five purposes off")
    main.shot("02-rejected-then-settings.png")
    main.click("#cookie-save")
    main.wait("document.getElementById('cookie-banner').hidden", "the banner to close after Save")
    main.idle()

    # 3. A policy question: the answer cites its section; "Why this answer?".
    before = main.assistant_count()
    main.fill("#chat-input", "How long do you keep my data?")
    main.submit("#chat-form")
    main.wait_reply(before, "an answer")
    sources = main.js(f"[...{LAST}.querySelectorAll('.sources li')].map(e => e.textContent)")
    citation = main.js(f"({LAST}.querySelector('.citation') || {{}}).textContent || ''")
    check(sources, "the answer lists its cited sections")
    check(citation.startswith("From: "), f"the answer shows its citation line: {citation!r}")
    main.click(".why-link")
    main.wait(f"{LAST}.querySelector('.explain')", "the explanation")
    step(f"answer cites {sources} and {citation!r}; 'Why this answer?' explains it")
    main.shot("03-answer-with-citation.png")

    # 4. A rights request: the age screen, then e-mail, then the code from the outbox.
    main.js("document.getElementById('request-type').value = 'access'")
    before = main.assistant_count()
    main.submit("#request-start-form")
    main.wait_reply(before, "the request's first turn")
    main.wait("document.body.dataset.ageGate === 'asking'", "the age screen")
    check(main.visible("#age-panel"), "the age form is shown")
    step("the age screen is shown")
    main.shot("04-age-screen.png")
    if main.visible("#age-country-row"):
        main.js("document.getElementById('age-country').value = 'ZA'")
    main.fill("#age-dob", "1990-05-01")
    main.submit("#age-form")
    main.wait("document.body.dataset.ageGate === 'adult'", "the age screen to pass (adult)")
    main.idle()
    main.wait("!document.getElementById('request-identify-form').hidden", "the e-mail step")
    step("age screen passed (adult)")
    main.fill("#request-email", "thandi@example.org")
    main.submit("#request-identify-form")
    mail = wait_mail(base, "identity code", purpose="identity")
    code = mail["data"]["code"]
    check(mail["data"]["to"] == "thandi@example.org", "the code goes to the address given")
    main.wait(f"document.getElementById('outbox').textContent.includes('{code}')", "the code in the outbox panel")
    check(code not in main.text("#log"), "the code is not shown in the chat")
    main.idle()
    main.fill("#request-code", code)
    main.submit("#request-verify-form")
    reference = main.wait("document.getElementById('request-reference').dataset.reference", "a request reference")
    check(code not in main.text("#log"), "the code is still not shown in the chat")
    step(f"access request verified with the outbox code: {reference}")
    main.shot("05-request-verified-with-outbox.png")

    # 5. A child's parental consent, the parent in a second browser session.
    def rejecting_browser(who):
        """Another browser (its own cookie, its own session) that has rejected cookies."""
        page = page_for(base + "/")
        page.wait("document.body.dataset.ready === 'true'", f"the {who}'s page")
        page.idle()
        page.click("#cookie-reject")
        page.wait("document.getElementById('cookie-banner').hidden", f"the {who}'s banner to close")
        page.idle()
        return page

    child = rejecting_browser("child")
    child.js("document.getElementById('request-type').value = 'erasure'")
    before = child.assistant_count()
    child.submit("#request-start-form")
    child.wait_reply(before, "the child's request")
    child.wait("document.body.dataset.ageGate === 'asking'", "the child's age screen")
    if child.visible("#age-country-row"):
        child.js("document.getElementById('age-country').value = 'ZA'")
    fifteen = datetime.date.today().replace(year=datetime.date.today().year - 15) - datetime.timedelta(days=30)
    child.fill("#age-dob", fifteen.isoformat())
    child.submit("#age-form")
    child.wait("document.body.dataset.ageGate === 'needs_parental_consent'", "needs_parental_consent")
    child.wait("!document.getElementById('parent-ask-panel').hidden", "the parent's address form")
    child.idle()
    child.fill("#parent-contact", "parent@example.com")
    child.submit("#parent-ask-form")
    mail = wait_mail(base, "parental consent code", purpose="parental_consent")
    pc_reference, pc_code = mail["data"]["reference"], mail["data"]["code"]
    child.wait("document.body.dataset.parentalConsent === 'pending'", "parentalConsent pending")
    check(pc_code not in child.text("#log"), "the parent's code is not shown to the child")
    step(f"child (15, ZA): parental consent {pc_reference} pending")
    child.wait(f"document.querySelector('#outbox li[data-reference=\"{pc_reference}\"]')", "the code in the outbox")
    child.shot("06-child-asks-parent.png")
    parent = rejecting_browser("parent")
    parent.js("document.getElementById('parent-panel').open = true")
    before = parent.assistant_count()
    parent.fill("#parent-reference", pc_reference)
    parent.submit("#parent-start-form")
    parent.wait_reply(before, "the consent's scope")
    before = parent.assistant_count()
    parent.fill("#parent-code", pc_code)
    parent.submit("#parent-verify-form")
    parent.wait_reply(before, "the code accepted")
    parent.wait("!document.getElementById('parent-confirm-row').hidden", "the yes/no step")
    parent.click("#parent-yes")
    confirmed = wait_mail(base, "parental_consent.confirmed", kind="parental_consent.confirmed")
    check(confirmed["data"].get("reference") == pc_reference, "the confirmation names the reference")
    parent.idle()
    parent.wait("document.querySelector('#outbox li[data-type=\"parental_consent.confirmed\"]')", "the confirmation in the outbox")
    step("parent confirmed in a second browser session (parental_consent.confirmed)")
    parent.shot("07-parent-confirms.png")
    child.js("document.getElementById('request-type').value = 'erasure'")
    before = child.assistant_count()
    child.submit("#request-start-form")
    child.wait_reply(before, "the child's request after consent")
    child.wait("document.body.dataset.parentalConsent === 'verified'", "parentalConsent verified for the child")
    step("the child's request goes on (parentalConsent verified)")

    # 6. Kill the PolicyChat child with a request in flight: error, restart, consents kept.
    pid = engine_child(server.pid)
    check(pid, "found the policychat child")
    os.kill(pid, signal.SIGSTOP)  # hold it, so the next request is surely in flight
    main.fill("#chat-input", "Do you sell my data?")
    main.js("document.getElementById('chat-form').requestSubmit(); true")
    main.wait("document.body.dataset.busy !== '0'", "the request to be in flight")
    time.sleep(0.5)
    os.kill(pid, signal.SIGKILL)
    started = time.monotonic()
    main.wait("Number(document.body.dataset.restarted) >= 1 && document.body.dataset.session === 'open'",
              "the page to recover with a new session", timeout=20)
    main.idle()
    step(f"policychat killed; page recovered in {time.monotonic() - started:.1f}s "
         f"(in-flight request answered with {main.js('document.body.dataset.lastReason')!r})")
    check(main.js("document.body.dataset.lastReason") in ("engine_restarted", "session_reset"),
          "the in-flight request got an error, not a hang")
    check(main.visible("#restart-banner") and "restarted" in main.text("#restart-banner"),
          "the page says the assistant restarted")
    check(main.visible("#error-banner"), "the page says the in-flight step was not answered")
    check(engine_child(server.pid) not in (None, pid), "a new policychat child runs")
    consents = json.loads(main.js("document.body.dataset.consents") or "{}")
    check(all(consents.get(p) == "refused" for p in PURPOSES), f"consents kept after the restart: {consents}")
    check(not main.visible("#cookie-banner"), "no banner again after the restart: the choices were kept")
    last = max([i["id"] for i in outbox(base, kind="verification.send")] or [0])
    before = main.assistant_count()
    main.fill("#status-reference", reference)
    main.submit("#request-status-form")
    main.wait_reply(before, "the status lookup")
    mail = wait_mail(base, "status code", purpose="identity", after=last)
    main.fill("#request-code", mail["data"]["code"])
    before = main.assistant_count()
    main.submit("#request-verify-form")
    status = main.wait_reply(before, "the request's status")
    check(reference in status, f"the request is found by its reference after the restart: {status!r}")
    step(f"after the restart: consents kept, {reference} looked up")
    main.shot("08-after-restart.png")

    # 7. DNT and GPC: passed to session.open, refusing analytics and marketing.
    override = ("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});"
                "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1', configurable: true});")
    signalled = page_for(base + "/", init_script=override)
    signalled.wait("document.body.dataset.ready === 'true'", "the GPC page")
    signalled.idle()
    check(signalled.js("navigator.globalPrivacyControl === true && navigator.doNotTrack === '1'"), "signals set")
    consents = json.loads(signalled.js("document.body.dataset.consents") or "{}")
    check(consents.get("analytics") == "refused_by_signal" and consents.get("marketing") == "refused_by_signal",
          f"DNT/GPC reached session.open: {consents}")
    signalled.click("#cookie-settings-toggle")
    check(signalled.js("document.getElementById('purpose-analytics').disabled"), "analytics cannot be ticked under GPC")
    step("DNT/GPC passed: analytics and marketing refused_by_signal")
    signalled.shot("09-gpc-signal.png")
    # Accept all: the age screen first (granting keeps data), then the rest; the signal still refuses two.
    signalled.click("#cookie-accept")
    signalled.wait("document.body.dataset.ageGate === 'asking'", "the age screen before consents are given")
    signalled.fill("#age-dob", "1985-02-03")
    signalled.submit("#age-form")
    signalled.wait("(() => { const c = JSON.parse(document.body.dataset.consents || '{}');"
                   " return ['personalisation', 'improvement', 'session_logging'].every(p => c[p] === 'given')"
                   " && c.analytics === 'refused_by_signal'; })()", "Accept all to give the purposes the signal allows")
    signalled.wait("document.getElementById('cookie-banner').hidden", "the banner to close after Accept")
    step("Accept all: age screen, then personalisation, improvement, session_logging given; GPC still refuses two")

    # 8. The server's security basics.
    status_code, headers, _ = http(base, "/")
    check("default-src 'none'" in headers.get("Content-Security-Policy", ""), "a Content-Security-Policy header")
    cookie = headers.get("Set-Cookie", "")
    check("HttpOnly" in cookie and "SameSite=Strict" in cookie, f"the cookie is HttpOnly and SameSite=Strict: {cookie}")
    jar = cookie.split(";")[0]
    status_code, _, _ = http(base, "/api/call", {"method": "chat.send", "params": {"text": "hi"}},
                             {"Content-Type": "application/json", "Origin": "http://evil.example", "Cookie": jar})
    check(status_code == 403, f"a cross-origin POST is refused (got {status_code})")
    host = base.split("//")[1]
    status_code, _, _ = http(base, "/api/call", b"{" + b" " * 20000 + b"}",
                             {"Content-Type": "application/json", "Origin": f"http://{host}", "Cookie": jar})
    check(status_code == 413, f"an oversized body is refused (got {status_code})")
    status_code, _, _ = http(base, "/api/call", {"method": "chat.send", "params": {"text": "hi"}},
                             {"Content-Type": "application/json", "Cookie": jar})
    check(status_code == 403, f"a POST with neither Origin nor Sec-Fetch-Site is refused (got {status_code})")
    status_code, _, _ = http(base, "/", headers={"Host": "rebound.example"})
    check(status_code == 421, f"an unknown Host is refused (DNS rebinding; got {status_code})")
    status_code, _, _ = http(base, "/api/call", {"method": "session.export"},
                             {"Content-Type": "application/json", "Origin": f"http://{host}", "Cookie": jar})
    check(status_code == 400, f"a method not on the list is refused (got {status_code})")
    # Several browsers at once: each request gets its own answer, for its own session.
    def one_browser(number, results):
        _, headers, _ = http(base, "/")
        jar = headers.get("Set-Cookie", "").split(";")[0]
        same = {"Content-Type": "application/json", "Origin": f"http://{host}", "Cookie": jar}
        _, _, body = http(base, "/api/session", {"signals": {}}, same)
        session = json.loads(body)["result"]["sessionId"]
        question = ["Do you sell my data?", "How long do you keep my data?", "What are cookies used for?"][number % 3]
        answers = []
        for _ in range(3):
            _, _, body = http(base, "/api/call", {"method": "chat.send", "params": {"text": question}}, same)
            answers.append(json.loads(body)["result"])
        results[number] = (session, answers)
    results = {}
    threads = [threading.Thread(target=one_browser, args=(n, results)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    check(len(results) == 8, "eight concurrent browsers all answered")
    for session, answers in results.values():
        check(all(a["sessionId"] == session for a in answers), "each answer belongs to its own browser's session")
        check(len({a["intent"] for a in answers}) == 1, "the same question gets the same answer in one session")
    check(len({session for session, _ in results.values()}) == 8, "eight distinct sessions")
    step("8 browsers x 3 concurrent requests: every response matched to its request")
    with open(stderr_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    for secret in ("thandi@example.org", "parent@example.com", "How long do you keep", code, pc_code):
        check(secret not in log, "the server's stderr holds no message text, address or code")
    step("CSP, cookie flags, same-origin check, size limit, method list, quiet log: ok")
    for page in (main, child, parent, signalled):
        problems = page.js("window.__problems")
        check(problems == [], f"no CSP violation or script error in the page: {problems}")
    step("no CSP violation or script error in any page")


def main():
    global SHOTS
    args = sys.argv[1:]
    if args[:1] == ["--shots"] and len(args) == 2:
        SHOTS = os.path.abspath(args[1])
    elif args:
        sys.exit("usage: test.py [--shots DIR]   (screenshots; default docs/web, or $POLICYCHAT_WEB_SHOTS)")
    os.makedirs(SHOTS, exist_ok=True)
    binary = find_binary()
    chromium = find_chromium()
    scratch = tempfile.mkdtemp(prefix="policychat-web-test-")
    server = browser = None
    stderr_path = os.path.join(scratch, "server.log")
    ok = False
    pages = []
    try:
        port_file = os.path.join(scratch, "port")
        env = dict(os.environ, POLICYCHAT_BIN=binary)
        with open(stderr_path, "w") as stderr:
            server = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), "--port", "0",
                                       "--port-file", port_file, "--db", os.path.join(scratch, "pc.sqlite")],
                                      env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 30
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            check(server.poll() is None, "the web server started")
            check(time.monotonic() < deadline, "the web server to listen")
            time.sleep(0.1)
        base = f"http://127.0.0.1:{open(port_file).read().strip()}"
        step(f"server at {base} (policychat {binary})")
        browser = Browser(chromium, os.path.join(scratch, "profile"))

        def page_for(url, init_script=None):
            page = browser.page(url, init_script)
            pages.append(page)
            return page
        run(base, server, page_for, stderr_path)
        ok = True
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        for number, page in enumerate(pages if browser else []):
            try:
                page.shot(f"failure-{number}.png")
                print(f"page {number}: data {page.js('JSON.stringify(document.body.dataset)')}; "
                      f"error {page.text('#error-banner')!r}; log tail {page.text('#log')[-400:]!r}", file=sys.stderr)
            except Exception:
                pass
    finally:
        if browser:
            browser.close()
        if server and server.poll() is None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        if not ok and os.path.exists(stderr_path):
            print("--- server stderr ---", file=sys.stderr)
            print(open(stderr_path).read()[-3000:], file=sys.stderr)
        shutil.rmtree(scratch, ignore_errors=True)
    step("PASS" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
