#!/usr/bin/env python3
"""Tries every kind of bad input on every interface of the built binary and checks what
happens: the error, its code, and that nothing earlier was lost.

Usage: Tests/Reliability/bad-inputs.py [BINARY] [--markdown FILE]

BINARY defaults to $POLICYCHAT_BIN, else .build/debug/policychat. Each case runs the real
binary in a scratch folder. The printed table is the catalogue in docs/ROBUSTNESS.md; the
exit status is 1 if any case did not behave as that catalogue says. Standard library only.
"""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SECRET = "thandi.bad-input@example.org"  # made-up personal data that must never reach stderr

results = []  # (interface, input, what happens, ok)


def record(interface, given, happened, ok):
    results.append((interface, given, happened, ok))
    mark = "ok " if ok else "FAIL"
    print(f"{mark} {interface}: {given} -> {happened}", file=sys.stderr)


def run(binary, args, stdin=b"", env=None, timeout=60, cwd=None):
    environment = dict(os.environ, POLICYCHAT_HOME=ROOT)
    environment.pop("POLICYCHAT_DB", None)
    if env:
        environment.update(env)
    done = subprocess.run([binary] + args, input=stdin, capture_output=True, timeout=timeout, env=environment, cwd=cwd)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def rpc(method, params=None, ident=1):
    message = {"jsonrpc": "2.0", "id": ident, "method": method}
    if params is not None:
        message["params"] = params
    return (json.dumps(message) + "\n").encode()


def serve_lines(binary, lines, args=(), env=None):
    """Runs `serve` over the given input; returns (status, responses, stderr)."""
    status, out, err = run(binary, ["serve", "--db", ":memory:"] + list(args), stdin=b"".join(lines), env=env)
    responses = [json.loads(line) for line in out.splitlines() if line.strip()]
    return status, responses, err


def error_of(response):
    error = response.get("error") or {}
    return f"{error.get('code')} {error.get('data', {}).get('reason')}" + (
        f" ({error['data']['field']})" if error.get("data", {}).get("field") else "")


def serve_cases(binary):
    follow = rpc("initialize", ident=99)  # every case ends with a good request: the stream must go on

    def case(given, lines, expected, args=(), follow_up=True):
        status, responses, err = serve_lines(binary, lines + ([follow] if follow_up else []), args)
        first = responses[0] if responses else {}
        happened = error_of(first) if "error" in first else ("no response" if not responses or first.get("id") == 99
                                                             else "result")
        went_on = bool(responses) and responses[-1].get("id") == (99 if follow_up else 1) and "result" in responses[-1]
        ok = happened == expected and went_on and status == 0 and SECRET not in err
        record("serve", given, f"{happened}; the next request is answered" if went_on else happened, ok)

    case("a line that is not JSON", [b"this is not json\n"], "-32700 invalid_json")
    case("a line that is not UTF-8", [b'{"jsonrpc": "2.0", "id": 1, "method": "\xff\xfe"}\n'], "-32700 invalid_utf8")
    case("a line longer than --max-line (2 MiB against 1 MiB)", [b"[" + b" " * (2 << 20) + b"]\n"],
         "-32002 line_too_long")
    case("JSON nested 300 deep (the parser stops at 256)", [b"[" * 300 + b"]" * 300 + b"\n"], "-32700 invalid_json")
    case("a number too large for any type", [b'{"jsonrpc": "2.0", "id": 1e999, "method": "initialize"}\n'],
         "-32700 invalid_json")
    case("a batch (JSON array)", [b"[" + rpc("initialize").strip() + b"]\n"], "-32600 invalid_request")
    case("an object without jsonrpc 2.0", [b'{"id": 1, "method": "initialize"}\n'], "-32600 invalid_request")
    case("an id that is a float", [b'{"jsonrpc": "2.0", "id": 1.5, "method": "initialize"}\n'],
         "-32600 invalid_request")
    case("a method that does not exist", [rpc("chat.delete_everything")], "-32601 unknown_method")
    case("a notification (no id) of an unknown method", [b'{"jsonrpc": "2.0", "method": "nope"}\n'], "no response")
    case("params that are an array", [b'{"jsonrpc": "2.0", "id": 1, "method": "session.open", "params": [1]}\n'],
         "-32602 invalid_params (params)")
    case("a parameter of the wrong type", [rpc("session.open", {"signals": {"dnt": "yes"}})],
         "-32602 invalid_params (signals.dnt)")
    case("a missing parameter", [rpc("chat.send", {"sessionId": "s-0"})], "-32602 invalid_params (text)")
    case("an unknown session id", [rpc("chat.send", {"sessionId": "s-0123456789abcdef", "text": SECRET})],
         "-32001 unknown_session")
    case("blank lines and a CRLF line end", [b"\n\r\n", rpc("initialize").replace(b"\n", b"\r\n")], "result")
    case("a last line without its newline", [rpc("initialize").rstrip(b"\n")], "result", follow_up=False)
    case("a string with a lone surrogate escape (\\ud800)",
         [b'{"jsonrpc": "2.0", "id": 1, "method": "chat.send", "params": {"sessionId": "s-0", "text": "\\ud800"}}\n'],
         "-32700 invalid_json")

    lines = [rpc("session.open", {"country": "ZA"}, 1)]
    status, responses, err = serve_lines(binary, lines)
    opened = responses[0]["result"]["sessionId"]
    # Sessions do not outlive a process: the id from one process is unknown to the next.
    status, responses, err = serve_lines(binary, [rpc("chat.send", {"sessionId": opened, "text": "hi"})])
    happened = error_of(responses[0])
    record("serve", "a session id from another (ended) process", happened, happened == "-32001 unknown_session")


def serve_dialogue(binary):
    """Cases that need the id of the session they act in: a process kept running."""
    environment = dict(os.environ, POLICYCHAT_HOME=ROOT)
    process = subprocess.Popen([binary, "serve", "--db", ":memory:"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment)
    counter = [0]

    def call(method, params=None):
        counter[0] += 1
        process.stdin.write(rpc(method, params, counter[0]))
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    session = call("session.open", {"country": "ZA"})["result"]["sessionId"]
    call("age.declare", {"sessionId": session, "dateOfBirth": "1990-05-01"})
    given = call("consent.set", {"sessionId": session, "purpose": "analytics", "granted": True})
    ok_consent = given.get("result", {}).get("state", {}).get("consents", {}).get("analytics") == "given"

    def check(label, method, params, expected):
        response = call(method, params)
        happened = error_of(response) if "error" in response else "result: " + response["result"].get("intent", "")
        record("serve", label, happened, happened.startswith(expected))
        return response

    check("an impossible date of birth", "age.declare", {"sessionId": session, "dateOfBirth": "31 February 2010"},
          "-32602 invalid_params (dateOfBirth)")
    check("a date of birth in the future", "age.declare", {"sessionId": session, "dateOfBirth": "2999-01-01"},
          "-32602 invalid_params (dateOfBirth)")
    check("an unknown consent purpose", "consent.set", {"sessionId": session, "purpose": "everything",
                                                         "granted": True}, "-32602 invalid_params (purpose)")
    check("an unknown country", "country.set", {"sessionId": session, "country": "Narnia"},
          "-32602 invalid_params (country)")
    check("an unknown request type", "request.start", {"sessionId": session, "type": "teleport"},
          "-32602 invalid_params (type)")
    check("a step the session is not waiting for", "request.verify", {"sessionId": session, "code": "123456"},
          "-32602 invalid_params")
    check("an unknown parental consent reference", "parental.start", {"sessionId": session, "reference": "PC-ZZZZZZ"},
          "-32602 invalid_params (reference)")
    check("an unknown policy version", "policy.archive", {"version": "99"}, "-32602 invalid_params (version)")
    check("a message of 100,000 characters (limit 4,000)", "chat.send", {"sessionId": session, "text": "a" * 100_000},
          "result: too_long")
    check("control characters: NUL, an escape sequence, BEL", "chat.send",
          {"sessionId": session, "text": "\u0000\u001b[31mred\u0007 cookies?"}, "result: ")
    status = call("consent.status", {"sessionId": session})
    kept = status.get("result", {}).get("state", {}).get("consents", {}).get("analytics") == "given"
    record("serve", "all of the above in one session, after a consent was given",
           "the consent is still given" if kept else "the consent was lost", ok_consent and kept)

    # Wrong codes count down, then lock: even the right code is refused afterwards.
    call("request.start", {"sessionId": session, "type": "access"})
    sent = call("request.identify", {"sessionId": session, "email": SECRET})
    events = sent.get("result", {}).get("events", [])
    code = next((e["data"]["code"] for e in events if e["type"] == "verification.send"), None)
    intents = []
    for _ in range(5):
        wrong = "000000" if code != "000000" else "111111"
        intents.append(call("request.verify", {"sessionId": session, "code": wrong}).get("result", {}).get("intent"))
    after = call("request.verify", {"sessionId": session, "code": code})
    final = after.get("result", {}).get("intent") if "result" in after else error_of(after)
    record("serve", "five wrong identity codes, then the right one",
           f"{', '.join(str(i) for i in intents[-2:])}; then {final}",
           intents[-1] == "request.code_locked" and final == "request.code_locked")
    process.stdin.close()
    err = process.stderr.read().decode("utf-8", "replace")
    process.wait(timeout=30)
    record("serve", "stderr after all of the above", "no personal data" if SECRET not in err else "personal data!",
           SECRET not in err and "red" not in err)

    # SIGTERM while idle: sessions closed, exit 0. A front end that closes stdout: exit 0.
    process = subprocess.Popen([binary, "serve", "--db", ":memory:"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment)
    process.stdin.write(rpc("session.open"))
    process.stdin.flush()
    process.stdout.readline()
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=30)
    record("serve", "SIGTERM", f"exit {code}", code == 0)
    process = subprocess.Popen([binary, "serve", "--db", ":memory:"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment)
    process.stdout.close()
    try:
        process.stdin.write(rpc("initialize") * 1000)
        process.stdin.close()
    except BrokenPipeError:
        pass
    code = process.wait(timeout=30)
    record("serve", "the front end closes its end of stdout", f"exit {code}", code == 0)


def chat_cases(binary, scratch):
    def case(given, stdin, expect_in_output, expect_status=0):
        status, out, err = run(binary, ["--db", ":memory:"], stdin=stdin)
        ok = status == expect_status and expect_in_output in out and SECRET not in err
        record("chat (piped; the REPL reads the same lines)", given,
               f"exit {status}; replies \"{expect_in_output}\"" if expect_in_output in out else f"exit {status}: {out[-120:]!r}",
               ok)

    case("a line that is not UTF-8", b"\xff\xfe hello\nDo you sell my data?\n", "does not sell")
    case("a line of 1 MiB", b"x" * (1 << 20) + b"\nDo you sell my data?\n", "too long")
    case("an unknown slash command", b"/frobnicate\n", "Unknown command")
    case("blank lines and end of input without a newline", b"\n\n   \nDo you sell my data?", "does not sell")
    case("terminal escape sequences", b"\x1b[2J\x1b]0;title\x07Do you sell my data?\n", "does not sell")
    status, out, err = run(binary, ["--db", os.path.join(scratch, "no-such-folder", "x", "chat.sqlite")],
                           stdin=b"Do you sell my data?\n")
    record("chat", "a database path whose folders do not exist yet", f"exit {status}; folders made",
           status == 0 and "does not sell" in out)


def data_file_cases(binary, scratch):
    def broken_home(name, relative, content, expect):
        home = os.path.join(scratch, name)
        shutil.copytree(os.path.join(ROOT, "knowledge"), os.path.join(home, "knowledge"))
        shutil.copytree(os.path.join(ROOT, "intents"), os.path.join(home, "intents"))
        path = os.path.join(home, relative)
        if content is None:
            os.remove(path)
        else:
            with open(path, "wb") as handle:
                handle.write(content)
        status, out, err = run(binary, ["--db", ":memory:", "--home", home], stdin=b"hi\n")
        first = err.strip().splitlines()[0] if err.strip() else ""
        shown = first.replace(home + "/", "")
        record("data files (at start-up)", relative + ": " + name.replace("-", " "), f"exit {status}: {shown}",
               status == 2 and expect in first)

    broken_home("broken-front-matter", "knowledge/sections/00-introduction/01-acceptance.md",
                b"---\nid: acceptance\ntitle: [unclosed\n---\nText\n", "01-acceptance.md:")
    broken_home("unknown-key", "intents/conversation.yaml",
                open(os.path.join(ROOT, "intents", "conversation.yaml"), "rb").read() + b"\nfrobnicate: 1\n",
                "intents/conversation.yaml:")
    broken_home("broken-yaml", "intents/nlu/thresholds.yaml", b"retrieval: [\n", "thresholds.yaml:")
    broken_home("not-utf-8", "intents/requests.yaml", b"\xff\xfe\x00bad", "intents/requests.yaml")
    broken_home("missing-file", "knowledge/consent.yaml", None, "consent.yaml")


def replay_cases(binary, scratch):
    def case(given, files, expect_status, expect_text):
        folder = os.path.join(scratch, "replay-" + str(len(results)))
        os.makedirs(folder)
        for name, content in files.items():
            with open(os.path.join(folder, name), "wb") as handle:
                handle.write(content)
        status, out, err = run(binary, ["replay", folder])
        text = (out + err).replace(folder + "/", "")
        line = next((l for l in text.splitlines() if expect_text in l), text.strip().splitlines()[-1] if text.strip()
                    else "")
        record("replay", given, f"exit {status}: {line.strip()[:140]}", status == expect_status and expect_text in text)

    case("broken YAML", {"t.yaml": b"name: x\nturns:\n  - user: hi\n    bot: [\n"}, 1, "t.yaml:")
    case("an unknown key (turns: instead of steps:)", {"t.yaml": b"name: x\nturns:\n  - user: hi\n"}, 1, "t.yaml:2")
    case("a transcript whose answer changed", {"t.yaml": b"name: x\nturns:\n  - user: Do you sell my data?\n"
                                                         b"    bot: We sell everything.\n"}, 1, "0 passed, 1 failed")
    case("a recording line that is not JSON", {"r.jsonl": b'{"meta": {"now": "2026-11-29T10:00:00Z", "seed": 1}}\n'
                                                          b"not json\n"}, 1, "r.jsonl")
    case("a file that is not UTF-8", {"t.yaml": b"\xff\xfe\x00\x00"}, 1, "t.yaml")
    status, out, err = run(binary, ["replay", os.path.join(scratch, "nothing-here")])
    record("replay", "a path that does not exist", f"exit {status}: {err.strip().splitlines()[-1] if err.strip() else ''}"
           .replace(scratch + "/", ""), status != 0 and "no such file" in err)


def admin_cases(binary, scratch):
    db = os.path.join(scratch, "admin.sqlite")

    def case(given, args, expect_status, expect_text):
        status, out, err = run(binary, ["admin"] + args)
        text = (err.strip().splitlines() or [""])[0] if status else (out.strip().splitlines() or [""])[0]
        text = text.replace(scratch + "/", "")
        record("admin", given, f"exit {status}: {text[:140]}", status == expect_status and expect_text in out + err)

    case("export of a session id the database never held", ["export", "s-0123456789abcdef", "--db", db], 2,
         "no session s-0123456789abcdef")
    case("requests show of an unknown reference", ["requests", "show", "RQ-ZZZZZZ", "--db", db], 2, "RQ-ZZZZZZ")
    case("an unknown subcommand", ["frobnicate"], 64, "Unexpected argument")
    bad_key = os.path.join(scratch, "bad.key")
    with open(bad_key, "w") as handle:
        handle.write("not a key\n")
    case("a key file that holds no key", ["purge", "--dry-run", "--db", db, "--key-file", bad_key], 2,
         "does not hold a key")
    other_key = os.path.join(scratch, "other.key")
    run(binary, ["admin", "new-key", other_key])
    case("new-key over an existing file", ["new-key", other_key], 2, "File exists")
    # A database file that is not SQLite.
    garbage = os.path.join(scratch, "garbage.sqlite")
    with open(garbage, "wb") as handle:
        handle.write(b"this is not a database" * 100)
    case("a database file that is not SQLite", ["purge", "--dry-run", "--db", garbage], 2, "SQLite error 26")
    case("a database path that is a folder", ["purge", "--dry-run", "--db", scratch], 2, "SQLite error")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    markdown = None
    if "--markdown" in sys.argv:
        markdown = sys.argv[sys.argv.index("--markdown") + 1]
        args = [a for a in args if a != markdown]
    binary = os.path.abspath(args[0] if args else os.environ.get("POLICYCHAT_BIN", os.path.join(ROOT, ".build/debug/policychat")))
    if not os.access(binary, os.X_OK):
        print(f"bad-inputs.py: no executable at {binary}; build first (swift build)", file=sys.stderr)
        return 2
    scratch = tempfile.mkdtemp(prefix="policychat-bad-inputs-")
    started = time.time()
    try:
        serve_cases(binary)
        serve_dialogue(binary)
        chat_cases(binary, scratch)
        replay_cases(binary, scratch)
        admin_cases(binary, scratch)
        data_file_cases(binary, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    lines = ["| interface | bad input | what happens | as documented |", "|---|---|---|---|"]
    for interface, given, happened, ok in results:
        cell = happened.replace("|", "\\|")
        lines.append(f"| {interface} | {given} | {cell} | {'yes' if ok else '**no**'} |")
    table = "\n".join(lines)
    print(table)
    if markdown:
        with open(markdown, "w") as handle:
            handle.write(table + "\n")
    failed = [r for r in results if not r[3]]
    print(f"\n{len(results)} cases, {len(failed)} not as documented, {time.time() - started:.1f} s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
