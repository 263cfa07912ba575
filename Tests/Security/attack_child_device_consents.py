#!/usr/bin/env python3
"""[found] Consents an adult gave on a device do not stay in force once the device is a
child's.

Hole: consents follow the device (keyed hash), so marketing, analytics and logging an
adult turned on stay "given" after a child on the same device answers 12: the child's
state.consents shows them given, the consent table's latest row per purpose is still a
grant (the consent "in force" a host reads for marketing), and every later session on
the device inherits them. AGE-GATE.md promises a child's session no marketing or
profiling whatever was asked.
  adult (40): session_logging, marketing, analytics on -> session closed -> new session
  on the device (ZA): age 12 -> state and the consent table; a third session.
Class: a stricter gate outcome that does not withdraw what the looser one allowed.

Refused means (safest reasonable product): after the child's answer, no purpose shows
"given" in the child's session nor in a later session of the device, and the latest
consent row of each purpose is not a grant (a withdrawal, method `child`, say).
"""
from harness import *

PURPOSES = ["session_logging", "marketing", "analytics"]


def given(turn):
    return sorted(p for p, v in (state(turn).get("consents") or {}).items() if v == "given")


def body(a):
    srv = a.server()
    s = srv.open(deviceId="shared-family-device")["sessionId"]
    srv.call("age.declare", {"sessionId": s, "age": 40})
    for p in PURPOSES:
        t = srv.call("consent.set", {"sessionId": s, "purpose": p, "granted": True})
    if given(t) != sorted(PURPOSES):
        raise CannotRun(f"the adult could not turn the purposes on: {state(t)}")
    srv.call("session.close", {"sessionId": s})
    k = srv.open(deviceId="shared-family-device", country="ZA")["sessionId"]
    tk = srv.call("age.declare", {"sessionId": k, "age": 12})
    if not is_under_age(tk):
        raise CannotRun(f"age 12 was not under age: {state(tk)}")
    tn = srv.call("chat.send", {"sessionId": k, "text": "Do you sell my data?"})
    later = srv.open(deviceId="shared-family-device")
    rows = a.sql("SELECT purpose, granted, method FROM consent ORDER BY id")
    latest = {}
    for purpose, granted, method in rows:
        latest[purpose] = (granted, method)
    in_force = sorted(p for p, (g, _) in latest.items() if g)
    a.note(f"child's session shows given: {given(tn)}; a later session: {given(later)}; "
           f"consent rows: {len(rows)}, latest grants still in force: {in_force}")
    if given(tn):
        a.fail(f"the child's session shows {given(tn)} as given")
    if given(later):
        a.fail(f"a later session on the child's device shows {given(later)} as given")
    if in_force:
        a.fail(f"the consent table still has the adult's grants in force for the child's device: {in_force}")


if __name__ == "__main__":
    Attack("child_device_consents").run(body)
