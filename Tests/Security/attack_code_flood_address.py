#!/usr/bin/env python3
"""Identity codes to one e-mail address are budgeted across sessions, devices, processes
and restarts (contract 1, per address).

Hole: anyone can make the server mail a one-time code to any address, as often as they
like (mailbox flooding / harassment, and a fresh code means 5 fresh guesses). The attacker
loops request.start -> age.declare -> request.identify(victim) -> 5 wrong codes ->
request.cancel, each round in a new session, and varies what the per-reference limit is
keyed on:
  A  new session and new deviceId each round (one process)       -> rate per 10 s measured
  B  no deviceId at all
  C  serve restarted on the same db between rounds
  D  two serve processes on the same db at once
  E  the same thing in plain chat text ("send me a copy of my data", "I'm 40", the
     address, "send a new code")
  F  RQ- status lookups (request.status) by strangers of three requests the owner made
Class: a counter keyed on something the attacker can renew (session, reference, flow,
device, process).

Refused means: for each vector at most `perAddress` (knowledge/verification.yaml, default
5) `verification.send` events go to the victim from sessions not verified as its owner,
and the turn that refuses is a budget refusal (decision kind ending in code_budget /
code_limit / .locked, no verification.send) that shows neither the address, its masked
form nor its domain.
"""
import sys
import threading
import time
from harness import *

ROUNDS = 30  # per vector, at most; the budget is 5


def round_protocol(srv, victim, device, guesses=5):
    """One start -> identify -> wrong codes -> cancel round; returns (sent, accepted guesses, identify turn)."""
    params = {} if device is None else {"deviceId": device}
    sid = srv.open(**params)["sessionId"]
    calls = [("request.start", {"sessionId": sid, "type": "access"}),
             ("age.declare", {"sessionId": sid, "age": 40}),
             ("request.identify", {"sessionId": sid, "email": victim})]
    calls += [("request.verify", {"sessionId": sid, "code": "000000"})] * guesses
    calls += [("request.cancel", {"sessionId": sid})]
    rs = srv.pipeline(calls)
    ident = rs[2].get("result")
    sent = len(sends(ident, victim))
    accepted = 0
    for r in rs[3:3 + guesses]:
        t = r.get("result")
        if t is not None and not is_refusal_decision(t) and t.get("intent", "").endswith("code_wrong"):
            accepted += 1
    return sent, accepted, ident


def round_chat(srv, victim, device):
    sid = srv.open(deviceId=device)["sessionId"]
    turns = []
    for text in ["Please send me a copy of my data", "I'd rather not say", "I'm 40", victim,
                 "send a new code", "send a new code", "cancel"]:
        r, err = srv.try_call("chat.send", {"sessionId": sid, "text": text})
        if r is not None:
            turns.append(r)
    return sum(len(sends(t, victim)) for t in turns), turns


class Tally:
    def __init__(self):
        self.sent = 0
        self.guesses = 0
        self.refusals = []
        self.lock = threading.Lock()

    def add(self, sent, accepted, turn):
        with self.lock:
            self.sent += sent
            self.guesses += accepted
            if sent == 0 and turn is not None:
                self.refusals.append(turn)


def check_refusal(attack, label, tally, victim, budget):
    if tally.sent > budget:
        attack.fail(f"{label}: {tally.sent} codes sent to {victim} (budget {budget})")
    bad = [t for t in tally.refusals if not is_budget_refusal(t)]
    if tally.refusals and bad and tally.sent <= budget:
        attack.fail(f"{label}: refusal is not a budget refusal (decision {decision_kind(bad[0])!r})")
    leaked = [leaks_address(t, victim) for t in tally.refusals if leaks_address(t, victim)]
    if leaked:
        attack.fail(f"{label}: a refusal shows {leaked[0]}")


def body(a):
    budget = a.budgets["perAddress"]
    srv = a.server(name="p1")

    # A: new session and device each round; measure the rate over at most 10 s.
    victim = "victim.a@example.org"
    tally = Tally()
    t0 = time.monotonic()
    rounds = 0
    while time.monotonic() - t0 < 10 and rounds < 1500:
        tally.add(*round_protocol(srv, victim, f"atk-a-{rounds}"))
        rounds += 1
        if rounds >= ROUNDS and tally.sent <= budget:
            break  # the budget holds: no need to go on for 10 s
    took = time.monotonic() - t0
    a.note(f"A new session+device per round: {rounds} rounds in {took:.1f} s, {tally.sent} codes to the victim "
           f"(~{tally.sent * 10 / max(took, 0.01):.0f} per 10 s), {tally.guesses} wrong guesses accepted")
    check_refusal(a, "A (new session and device per round)", tally, victim, budget)

    # B: no deviceId.
    victim = "victim.b@example.org"
    tally = Tally()
    for i in range(ROUNDS):
        tally.add(*round_protocol(srv, victim, None))
    a.note(f"B no deviceId: {ROUNDS} rounds, {tally.sent} codes")
    check_refusal(a, "B (no deviceId)", tally, victim, budget)

    # C: restart serve on the same db between rounds.
    victim = "victim.c@example.org"
    tally = Tally()
    restarts = 0
    for i in range(8):
        tally.add(*round_protocol(srv, victim, f"atk-c-{i}"))
        srv.restart()
        restarts += 1
    a.note(f"C restart between rounds: 8 rounds, {restarts} restarts, {tally.sent} codes")
    check_refusal(a, "C (serve restarted between rounds)", tally, victim, budget)

    # D: two processes on one db at once.
    victim = "victim.d@example.org"
    tally = Tally()
    srv2 = a.server(name="p2")
    errors = []

    def worker(s, tag):
        try:
            for i in range(12):
                tally.add(*round_protocol(s, victim, f"atk-d-{tag}-{i}"))
        except Exception as e:  # reported below
            errors.append(str(e))

    threads = [threading.Thread(target=worker, args=(s, t)) for s, t in ((srv, "1"), (srv2, "2"))]
    [t.start() for t in threads]
    [t.join(40) for t in threads]
    if errors:
        raise CannotRun("two processes: " + errors[0])
    a.note(f"D two serve processes: 24 rounds, {tally.sent} codes")
    check_refusal(a, "D (two serve processes)", tally, victim, budget)
    srv2.close()

    # E: chat text.
    victim = "victim.e@example.org"
    tally = Tally()
    for i in range(10):
        sent, turns = round_chat(srv, victim, f"atk-e-{i}")
        tally.sent += sent
    if tally.sent == 0:
        raise CannotRun("chat text: no code was ever sent; the chat flow changed")
    a.note(f"E chat text: 10 sessions, {tally.sent} codes")
    if tally.sent > budget:
        a.fail(f"E (chat text, 'send a new code'): {tally.sent} codes sent (budget {budget})")

    # F: status lookups of the owner's requests by strangers.
    victim = "victim.f@example.org"
    owner = srv.open(deviceId="owner-f-device")["sessionId"]
    refs = []
    for i in range(3):
        _, ref = verified_request(srv, owner, "access", victim)
        if ref:
            refs.append(ref)
    if not refs:
        raise CannotRun("status: no RQ- reference was issued")
    stranger_sent = 0
    lookups = 0
    refusals = []
    for i in range(8):
        for ref in refs:
            sid = srv.open(deviceId=f"stranger-f-{i}-{ref}")["sessionId"]
            t, err = srv.try_call("request.status", {"sessionId": sid, "reference": ref})
            lookups += 1
            if t is not None:
                n = len(sends(t, victim))
                stranger_sent += n
                if n == 0:
                    refusals.append(t)
    a.note(f"F status lookups: {len(refs)} references, {lookups} lookups by strangers, {stranger_sent} codes")
    if stranger_sent > budget:
        a.fail(f"F (RQ- status lookups by strangers): {stranger_sent} codes sent (budget {budget})")
    leaked = [leaks_address(t, victim) for t in refusals if leaks_address(t, victim)]
    if leaked:
        a.fail(f"F: a status refusal shows {leaked[0]}")


if __name__ == "__main__":
    Attack("code_flood_address").run(body)
