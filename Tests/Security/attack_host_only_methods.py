#!/usr/bin/env python3
"""Host-only methods cannot be called from the child's side (contract 9).

Hole: parental.hostVerified ("the host verified the parent itself") is an ordinary
session method: the child's own session, or another session on the child's device, can
call it with the reference it was just given and the consent is verified with no parent
at all.
  child (ZA, 10) -> parental.request -> parental.hostVerified in the same session;
  a second child -> hostVerified from another session on the child's device;
  initialize must list host-only methods.
Class: a privileged (host-side) action reachable over the same channel as the person.

Refused means: initialize's result has `hostOnlyMethods` containing
"parental.hostVerified"; each hostVerified call from the child's side is a JSON-RPC error
or a Turn with a refusal decision and no parental_consent.confirmed event; afterwards the
consent is still pending (parental_consent.status in the db, and the child's
state.parentalConsent).
"""
from harness import *


def child_with_request(srv, device, parent):
    sid = srv.open(deviceId=device, country="ZA")["sessionId"]
    srv.call("age.declare", {"sessionId": sid, "age": 10})
    t = srv.call("parental.request", {"sessionId": sid, "contact": parent})
    refs = [e["data"]["reference"] for e in sends(t)]
    if not refs:
        raise CannotRun(f"parental.request sent no code: {text_of(t)[:200]}")
    return sid, refs[0]


def body(a):
    srv = a.server()
    init = srv.call("initialize")
    host_only = init.get("hostOnlyMethods")
    a.note(f"initialize hostOnlyMethods: {host_only!r}")
    if not isinstance(host_only, list) or "parental.hostVerified" not in host_only:
        a.fail(f"initialize does not list parental.hostVerified as host-only (hostOnlyMethods {host_only!r})")

    cases = []
    sid, ref = child_with_request(srv, "hostonly-child-1", "hostonly.parent1@example.org")
    cases.append(("the child's own session", sid, sid, ref))
    sid2, ref2 = child_with_request(srv, "hostonly-child-2", "hostonly.parent2@example.org")
    other = srv.open(deviceId="hostonly-child-2")["sessionId"]
    cases.append(("another session on the child's device", sid2, other, ref2))
    for label, child_sid, caller, reference in cases:
        t, err = srv.try_call("parental.hostVerified", {"sessionId": caller, "reference": reference, "method": "card"})
        confirmed = bool(t and events(t, "parental_consent.confirmed"))
        refused = err is not None or (t is not None and is_refusal_decision(t) and not confirmed)
        status = a.sql("SELECT status FROM parental_consent WHERE reference = ?", (reference,))
        child = srv.call("chat.send", {"sessionId": child_sid, "text": "hello"})
        pc = state(child).get("parentalConsent")
        a.note(f"hostVerified from {label}: {'error ' + str(err.get('code')) if err else repr(t.get('intent'))}, "
               f"db status {status}, child's parentalConsent {pc!r}")
        if not refused:
            a.fail(f"hostVerified from {label} was not refused (intent {t.get('intent') if t else None!r}, "
                   f"confirmed event {confirmed})")
        if any(row[0] == "verified" for row in status) or pc == "verified":
            a.fail(f"hostVerified from {label} verified the consent (db {status}, state {pc!r})")


if __name__ == "__main__":
    Attack("host_only_methods").run(body)
