#!/usr/bin/env python3
"""A stranger cannot use the budgets to lock a mailbox's owner out.

Hole (in the class "a protection the attacker can spend for the victim"): the budgets that
stop a stranger (codes per mailbox, tries per mailbox) are themselves a weapon if they are
shared with the owner: a stranger asks for codes to the victim's address until refused, and
types wrong codes until the tries are spent, and the owner cannot verify for a day.
  1  the owner verifies once on their own device (an access request), linking it
  2  strangers (new sessions, no device) ask for codes to that address until refused, and
     type wrong codes at each until the tries are refused
  3  the owner, on their own device, starts a request: a code must be sent, and it must work
Found while fixing issue 17 (a regression guard: the release before had no budgets).

Refused means: step 3 sends a code and the right code completes the request.
"""
from harness import *


def body(a):
    srv = a.server()
    owner = "owner.lockout@example.org"
    sid = srv.open(deviceId="owners-own-laptop", country="ZA")["sessionId"]
    turn, ref = verified_request(srv, sid, "access", owner)
    if not ref:
        raise CannotRun(f"the owner's first request made no reference: {turn.get('intent')}")
    codes = tries = 0
    for _ in range(12):
        s = srv.open(country="ZA")["sessionId"]
        start_request(srv, s, "access")
        sent = identify(srv, s, owner)
        code = sent_code(sent)
        if code is None:
            continue
        codes += 1
        for _ in range(5):
            t, _ = srv.try_call("request.verify", {"sessionId": s, "code": wrong_code(code)})
            if t and t.get("intent", "").endswith("code_wrong"):
                tries += 1
        srv.try_call("request.cancel", {"sessionId": s})
    own = srv.open(deviceId="owners-own-laptop", country="ZA")["sessionId"]
    start_request(srv, own, "access")
    sent = identify(srv, own, owner)
    code = sent_code(sent)
    done = srv.call("request.verify", {"sessionId": own, "code": code})["intent"] if code else None
    a.note(f"strangers had {codes} codes sent and {tries} wrong tries checked; then the owner on their own "
           f"device: code sent {code is not None}, verification {done!r}")
    if code is None:
        a.fail(f"the owner's own device got no code after strangers spent the budgets ({decision_kind(sent)})")
    elif done != "request.access_done":
        a.fail(f"the owner's right code did not complete the request: {done}")


if __name__ == "__main__":
    Attack("owner_lockout").run(body)
