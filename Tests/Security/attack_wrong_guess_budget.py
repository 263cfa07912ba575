#!/usr/bin/env python3
"""Wrong code guesses per address are budgeted (contract 1: wrongGuessesPerAddress).

Hole: each code locks after 5 wrong tries, but a new flow gets a new code and 5 new
tries, so an attacker who can read nothing still gets unbounded guesses at the codes of
one address (and at status codes of one RQ- reference). Once enough guesses are spent,
the right code must be refused too, or guessing pays.
The attacker spreads guesses over sessions, devices, a second serve process and a
restart; then, in a fresh round, types the code that was really sent (taken from the
event, standing for a lucky guess).
Class: a lock keyed on the code (or the session) instead of on the thing guessed at.

Refused means: at most `wrongGuessesPerAddress` (default 10) guesses are accepted for
checking (a request.verify turn answering "wrong code" rather than a budget or lock
refusal), and after that the right code does not verify (no request is made: no RQ-
reference, the turn is a refusal / lock, or no code is sent at all).
"""
from harness import *


def body(a):
    limit = a.budgets["wrongGuessesPerAddress"]
    victim = "guess.victim@example.org"
    p1 = a.server(name="p1")
    p2 = a.server(name="p2")
    accepted = 0
    rounds = 0
    for i in range(8):  # 8 rounds x 5 guesses = 40 guesses offered
        srv = p1 if i % 2 == 0 else p2
        if i == 4:
            p1.restart()
        sid = srv.open(deviceId=f"guesser-{i}")["sessionId"]
        calls = [("request.start", {"sessionId": sid, "type": "access"}),
                 ("age.declare", {"sessionId": sid, "age": 40}),
                 ("request.identify", {"sessionId": sid, "email": victim})]
        rs = srv.pipeline(calls)
        code = sent_code(rs[-1].get("result"))
        rounds += 1
        if code is None:
            srv.call("request.cancel", {"sessionId": sid})
            continue
        wrong = wrong_code(code)
        rs = srv.pipeline([("request.verify", {"sessionId": sid, "code": wrong})] * 5 +
                          [("request.cancel", {"sessionId": sid})])
        for r in rs[:5]:
            t = r.get("result")
            if t is not None and not is_refusal_decision(t) and t.get("intent", "").endswith("code_wrong"):
                accepted += 1
    a.note(f"{rounds} rounds over 2 processes and a restart: {accepted} wrong guesses accepted for checking")
    if accepted > limit:
        a.fail(f"{accepted} wrong guesses at {victim}'s codes were checked (budget {limit})")

    # Now the right code, from a fresh device in p1.
    sid = p1.open(deviceId="guesser-lucky")["sessionId"]
    rs = p1.pipeline([("request.start", {"sessionId": sid, "type": "access"}),
                      ("age.declare", {"sessionId": sid, "age": 40}),
                      ("request.identify", {"sessionId": sid, "email": victim})])
    code = sent_code(rs[-1].get("result"))
    if code is None:
        a.note("after the guesses no code was sent at all (so the right code cannot be used)")
        return
    t, err = p1.try_call("request.verify", {"sessionId": sid, "code": code})
    made = t is not None and re.search(r"\bRQ-[A-Z0-9]{6}\b", json.dumps(t)) and not is_refusal_decision(t)
    a.note(f"right code after {accepted} wrong guesses: intent {t and t.get('intent')!r}, decision {decision_kind(t)!r}")
    if made:
        a.fail(f"the right code still verified after {accepted} wrong guesses (intent {t.get('intent')})")


if __name__ == "__main__":
    Attack("wrong_guess_budget").run(body)
