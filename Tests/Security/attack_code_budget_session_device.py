#!/usr/bin/env python3
"""Codes per session and per device are budgeted (contract 1: perSession, perDevice).

Hole: one session (or one device, through many sessions, processes and restarts) can
make the server send codes to any number of addresses: a spam relay for code e-mails,
each address below its own per-address budget.
  S  one session: start -> identify(address i) -> cancel for 10 different addresses
  V  one deviceId: 12 sessions over two serve processes and a restart, each asking
     for codes to 2 different addresses (24 addresses in all, none twice)
Class: a counter keyed only on the address (or the reference) misses an attacker who
varies the address.

Refused means: at most `perSession` (default 5) verification.send events from the one
session, at most `perDevice` (default 10) from the device, and the refusing turns are
budget refusals (decision kind ending in code_budget / code_limit, no verification.send).
"""
from harness import *


def ask_code(srv, sid, email, first):
    calls = []
    if first:
        calls += [("request.start", {"sessionId": sid, "type": "access"}),
                  ("age.declare", {"sessionId": sid, "age": 40})]
    else:
        calls += [("request.start", {"sessionId": sid, "type": "access"})]
    calls += [("request.identify", {"sessionId": sid, "email": email}),
              ("request.cancel", {"sessionId": sid})]
    rs = srv.pipeline(calls)
    return rs[-2].get("result"), rs[-2].get("error")


def body(a):
    per_session = a.budgets["perSession"]
    per_device = a.budgets["perDevice"]
    srv = a.server(name="p1")

    # S: one session, ten addresses.
    sid = srv.open(deviceId="relay-session-device")["sessionId"]
    sent = 0
    refusals = []
    for i in range(10):
        turn, err = ask_code(srv, sid, f"spam.s{i}@example.org", i == 0)
        if turn is None:
            continue
        n = len(sends(turn))
        sent += n
        if n == 0:
            refusals.append(turn)
    a.note(f"S one session, 10 addresses: {sent} codes sent")
    if sent > per_session:
        a.fail(f"S: one session sent {sent} codes to 10 addresses (budget {per_session})")
    elif refusals and not all(is_budget_refusal(t) for t in refusals):
        a.fail(f"S: refusal is not a budget refusal: {decision_kind(refusals[0])!r}")

    # V: one device, many sessions, two processes and a restart.
    srv2 = a.server(name="p2")
    device = "relay-device-v"
    sent = 0
    sessions = 0
    for i in range(12):
        s = srv if i % 2 == 0 else srv2
        if i == 6:
            srv.restart()
        sid = s.open(deviceId=device)["sessionId"]
        sessions += 1
        for j in range(2):
            turn, err = ask_code(s, sid, f"spam.v{i}.{j}@example.org", j == 0)
            if turn is not None:
                sent += len(sends(turn))
    a.note(f"V one device, {sessions} sessions in 2 processes + a restart, 24 addresses: {sent} codes sent")
    if sent > per_device:
        a.fail(f"V: one device sent {sent} codes to 24 addresses (budget {per_device})")


if __name__ == "__main__":
    Attack("code_budget_session_device").run(body)
