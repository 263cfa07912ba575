#!/usr/bin/env python3
"""[found] Nothing an attacker can trigger resets the code budgets.

Hole (class): a budget that lives in a session, a flow, a process or in rows an
attacker can get deleted is reset by: closing the sessions, `policychat admin purge`
(codes' retention), restarting serve, an erasure of the attacker's *own* subject (the
erasure deletes "the subject's codes": if the budget counts those rows, the attacker's
device and every address it flooded start again), a parent's deletion, or a re-keying.
The attacker floods victim V (per-address) from device D (per-device) until refused,
then does each of those, and floods again. D first verified the attacker's own
address, so the erasure of that subject (from another device) touches D's records.

Refused means: in all, at most `perAddress` (default 5) codes reach V, and at most
`perDevice` (default 10) leave device D, before and after the resets.
"""
from harness import *


def flood(srv, device, victim, rounds, first_age=True):
    sent_v = sent_d = 0
    for i in range(rounds):
        sid = srv.open(deviceId=device if device else f"reset-fresh-{time.monotonic_ns()}")["sessionId"]
        rs = srv.pipeline([("request.start", {"sessionId": sid, "type": "access"}),
                           ("age.declare", {"sessionId": sid, "age": 40}),
                           ("request.identify", {"sessionId": sid, "email": victim}),
                           ("request.cancel", {"sessionId": sid}),
                           ("session.close", {"sessionId": sid})])
        t = rs[2].get("result")
        sent_v += len(sends(t, victim))
        sent_d += len(sends(t))
    return sent_v, sent_d


def body(a):
    per_address = a.budgets["perAddress"]
    per_device = a.budgets["perDevice"]
    victim = "reset.victim@example.org"
    device = "reset-attacker-device"
    srv = a.server()
    # D first proves the attacker's own address (so D is linked to that subject).
    sd = srv.open(deviceId=device)["sessionId"]
    turn, _ = verified_request(srv, sd, "access", "reset.attacker@example.org")
    own = 1 if turn.get("intent") == "request.access_done" else 0
    v1, _ = flood(srv, None, victim, per_address + 2)
    _, d1 = flood(srv, device, f"reset.other@example.org", per_device + 2)
    d1 += own
    a.note(f"before resets: {v1} codes to V from fresh devices, {d1} codes from device D")

    # Resets: the attacker erases their own subject (linked to D) from another device.
    sid = srv.open(deviceId="reset-erasure-device")["sessionId"]
    turn, ref = verified_request(srv, sid, "erasure", "reset.attacker@example.org")
    srv.restart()
    p = a.admin("purge")
    srv.restart()
    v2, _ = flood(srv, None, victim, per_address + 2)
    _, d2 = flood(srv, device, "reset.third@example.org", per_device + 2)
    a.note(f"after an erasure ({turn.get('intent')}), session.close, purge (exit {p.returncode}) and restarts: "
           f"{v2} more codes to V, {d2} more from D")
    if v1 + v2 > per_address:
        a.fail(f"{v1} + {v2} codes to one address across resets (budget {per_address})")
    if d1 + d2 > per_device:
        a.fail(f"{d1} + {d2} codes from one device across resets (budget {per_device})")


if __name__ == "__main__":
    Attack("budget_resets").run(body)
