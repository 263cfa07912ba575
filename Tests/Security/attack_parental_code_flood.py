#!/usr/bin/env python3
"""Parental-consent codes are budgeted like identity codes, and share the per-address
count with them (contract 2).

Hole: any session that declares a child's age can make the server mail a parental
consent code to any address; each parental.request opens a new PC- reference with its
own "5 codes a day", so the per-reference limit stops nothing.
  P1  20 child sessions, one per device, ask for codes to one parent address
  P2  20 child sessions on one device ask for codes to another parent address
  P3  one child session asks for codes to 10 different addresses
  P4  3 identity codes, then 10 child sessions' parental codes, all to one address
Class: a counter keyed on a reference the attacker mints for free.

Refused means: P1, P2, P4 send at most `perAddress` (default 5) codes to the address
(P4: identity and parental together), P3 at most `perSession` (default 5); refusing
turns carry no verification.send and do not show the address, its masked form or
domain.
"""
from harness import *


def child_session(srv, device):
    sid = srv.open(country="ZA", deviceId=device)["sessionId"]
    t, err = srv.try_call("age.declare", {"sessionId": sid, "age": 10})
    return sid


def ask_parent(srv, sid, contact):
    t, err = srv.try_call("parental.request", {"sessionId": sid, "contact": contact})
    return t


def body(a):
    per_address = a.budgets["perAddress"]
    per_session = a.budgets["perSession"]
    srv = a.server()

    def tally(turns, addr):
        sent = sum(len(sends(t, addr)) for t in turns if t)
        refusals = [t for t in turns if t and not sends(t, addr)]
        leaks = [leaks_address(t, addr) for t in refusals if leaks_address(t, addr)]
        return sent, leaks

    parent = "parent.one@example.org"
    turns = [ask_parent(srv, child_session(srv, f"child-dev-{i}"), parent) for i in range(20)]
    sent, leaks = tally(turns, parent)
    if sent == 0:
        raise CannotRun("no parental code was ever sent")
    a.note(f"P1 20 child sessions on 20 devices: {sent} codes to one parent")
    if sent > per_address:
        a.fail(f"P1: {sent} parental codes to {parent} from 20 devices (budget {per_address})")
    if leaks:
        a.fail(f"P1: a refusal shows {leaks[0]}")

    parent = "parent.two@example.org"
    turns = [ask_parent(srv, child_session(srv, "child-one-device"), parent) for i in range(20)]
    sent, leaks = tally(turns, parent)
    a.note(f"P2 20 child sessions on one device: {sent} codes to one parent")
    if sent > per_address:
        a.fail(f"P2: {sent} parental codes to {parent} from one device (budget {per_address})")
    if leaks:
        a.fail(f"P2: a refusal shows {leaks[0]}")

    sid = child_session(srv, "child-ten-addresses")
    sent = 0
    for i in range(10):
        t = ask_parent(srv, sid, f"parent.p3.{i}@example.org")
        sent += len(sends(t))
    a.note(f"P3 one child session, 10 addresses: {sent} codes")
    if sent > per_session:
        a.fail(f"P3: one session sent {sent} parental codes to 10 addresses (budget {per_session})")

    parent = "parent.shared@example.org"
    identity = 0
    for i in range(3):
        sid = srv.open(deviceId=f"adult-shared-{i}")["sessionId"]
        rs = srv.pipeline([("request.start", {"sessionId": sid, "type": "access"}),
                           ("age.declare", {"sessionId": sid, "age": 40}),
                           ("request.identify", {"sessionId": sid, "email": parent}),
                           ("request.cancel", {"sessionId": sid})])
        identity += len(sends(rs[2].get("result"), parent))
    turns = [ask_parent(srv, child_session(srv, f"child-shared-{i}"), parent) for i in range(10)]
    parental, leaks = tally(turns, parent)
    a.note(f"P4 shared count: {identity} identity + {parental} parental codes to one address")
    if identity + parental > per_address:
        a.fail(f"P4: {identity} identity + {parental} parental codes to {parent} (shared budget {per_address})")


if __name__ == "__main__":
    Attack("parental_code_flood").run(body)
