#!/usr/bin/env python3
"""A withdrawal or an erasure reaches the person's sessions open in another process.

Hole: a session keeps its consents in the memory of the `serve` process that opened it.
Two processes share one database file (a web server's workers); the person withdraws
logging consent, or erases everything, through one of them, and a session of the same
person (the same device) open in the other goes on keeping their chat text.
  A  device D: a session in process 1 turns logging on; a session on D in process 2
     (opened after it, so logging is on there too) chats; then process 1 withdraws the
     consent; then process 2's session says a distinctive phrase.
  B  device D verified as x@example.org (access request) with logging on; a session on D
     in process 2 chats with logging on; from device E, process 1 erases x@example.org;
     then process 2's session says another phrase.
Class: state a gate depends on, cached per process and changed by another (found while
fixing issue 17; not on the issue's list).

Refused means: neither phrase is in the transcript_line table (nor anywhere in the
database's files) afterwards.
"""
from harness import *

WITHDRAWN = "after-withdrawal phrase kumquat-7731"
ERASED = "after-erasure phrase quokka-5519"


def logging_session(srv, device):
    sid = srv.open(deviceId=device, country="ZA")["sessionId"]
    srv.call("age.declare", {"sessionId": sid, "age": 40})
    turn = srv.call("consent.set", {"sessionId": sid, "purpose": "session_logging", "granted": True})
    return sid, turn


def body(a):
    one = a.server(name="p1")
    two = a.server(name="p2")
    a.servers += [one, two]

    # A: withdrawn in process 1, still logged in process 2?
    s1, on = logging_session(one, "device-A")
    if not logging_on(on):
        raise CannotRun(f"logging did not turn on: {state(on)}")
    s2 = two.open(deviceId="device-A", country="ZA")["sessionId"]
    before = two.call("chat.send", {"sessionId": s2, "text": "How long do you keep my data?"})
    if not logging_on(before):
        raise CannotRun(f"the second process's session did not find the consent: {state(before)}")
    off = one.call("consent.set", {"sessionId": s1, "purpose": "session_logging", "granted": False})
    if logging_on(off):
        raise CannotRun("the withdrawal did not take in process 1")
    after = two.call("chat.send", {"sessionId": s2, "text": WITHDRAWN})
    kept = a.sql("SELECT COUNT(*) FROM transcript_line WHERE text LIKE ?", (f"%{WITHDRAWN}%",))[0][0]
    a.note(f"A: after the withdrawal in process 1, process 2's session logging={logging_on(after)}, "
           f"lines kept with the phrase: {kept}")
    if kept:
        a.fail("A: chat text was kept in process 2 after the consent was withdrawn in process 1")

    # B: erased through process 1, still logged in process 2?
    x = "x.other@example.org"
    sd, _ = logging_session(one, "device-B")
    turn, ref = verified_request(one, sd, "access", x)
    if not ref:
        raise CannotRun(f"access request made no reference: {turn.get('intent')}")
    s3 = two.open(deviceId="device-B", country="ZA")["sessionId"]
    first = two.call("chat.send", {"sessionId": s3, "text": "What cookies do you use?"})
    if not logging_on(first):
        raise CannotRun(f"process 2's session on device B is not logging: {state(first)}")
    se = one.open(deviceId="device-E")["sessionId"]
    done, _ = verified_request(one, se, "erasure", x)
    if done.get("intent") != "request.erasure_done":
        raise CannotRun(f"erasure did not complete: {done.get('intent')}")
    later = two.call("chat.send", {"sessionId": s3, "text": ERASED})
    kept = a.sql("SELECT COUNT(*) FROM transcript_line WHERE text LIKE ?", (f"%{ERASED}%",))[0][0]
    a.note(f"B: after the erasure in process 1, process 2's session logging={logging_on(later)}, "
           f"lines kept with the phrase: {kept}")
    if kept:
        a.fail("B: chat text was kept in process 2 after the person was erased in process 1")
    for srv in (one, two):
        srv.close()
    found = files_containing(a.dbdir, [WITHDRAWN.encode(), ERASED.encode()])
    if found:
        a.fail(f"phrases still in the database's files after exit: {found}")


if __name__ == "__main__":
    Attack("other_process_sessions").run(body)
