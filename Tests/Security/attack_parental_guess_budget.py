#!/usr/bin/env python3
"""[found] Wrong guesses at a parent's codes are budgeted per address, like identity
codes (contract 2, "budgeted the same way", applied to guesses).

Hole: a parental code locks after 5 wrong tries, and the lock survives a restart, but
"send a new code" (parental.newCode) gives a fresh code with 5 fresh tries, up to 5 codes
a reference a day, and a child session mints new references at will: so a stranger in
their own session gets 25 guesses per reference per day, without end over references,
at the code that makes them the "parent".
  child (ZA, 10) -> parental.request(parent) -> stranger: parental.start, 5 wrong,
  newCode, 5 wrong, ... ; a second child reference to the same parent, more guesses;
  then the right code of a fresh code.
Class: a lock keyed on the code instead of on what is guessed at (the parent's address).

Refused means: at most `wrongGuessesPerAddress` (default 10) wrong guesses accepted for
checking (parental.verify answering "wrong code", not a lock or budget refusal), and
after them the right code does not move the consent on (no parent.ask_agree /
parent.verified; a lock or budget refusal, or no code sent).
"""
from harness import *


def body(a):
    limit = a.budgets["wrongGuessesPerAddress"]
    parent = "guessed.parent@example.org"
    srv = a.server()
    accepted = 0
    last_code = None
    last_ref = None
    for k in range(2):
        kid = srv.open(deviceId=f"guess-kid-{k}", country="ZA")["sessionId"]
        srv.call("age.declare", {"sessionId": kid, "age": 10})
        t = srv.call("parental.request", {"sessionId": kid, "contact": parent})
        if not sends(t):
            continue
        ref, code = sends(t)[0]["data"]["reference"], sent_code(t)
        stranger = srv.open(deviceId=f"guess-stranger-{k}")["sessionId"]
        srv.call("parental.start", {"sessionId": stranger, "reference": ref})
        for round_ in range(3):
            for i in range(5):
                t, err = srv.try_call("parental.verify", {"sessionId": stranger, "reference": ref, "code": wrong_code(code)})
                if t is not None and t.get("intent", "").endswith("code_wrong") and not is_refusal_decision(t):
                    accepted += 1
            t, err = srv.try_call("parental.newCode", {"sessionId": stranger, "reference": ref})
            if t is None or not sends(t):
                break
            code = sent_code(t)
        last_code, last_ref, last_sid = code, ref, stranger
        if k == 0:
            srv.restart()
    a.note(f"2 references to one parent, newCode after each lock, a restart: {accepted} wrong guesses accepted")
    if accepted > limit:
        a.fail(f"{accepted} wrong guesses at {parent}'s parental codes were checked (budget {limit})")
    if last_code is None:
        return
    t, err = srv.try_call("parental.verify", {"sessionId": last_sid, "reference": last_ref, "code": last_code})
    moved = t is not None and t.get("intent") in ("parent.ask_agree", "parent.verified") and not is_refusal_decision(t)
    a.note(f"then the right code: {t.get('intent') if t else err!r}")
    if moved:
        a.fail(f"after {accepted} wrong guesses the right parental code still worked ({t.get('intent')})")


if __name__ == "__main__":
    Attack("parental_guess_budget").run(body)
