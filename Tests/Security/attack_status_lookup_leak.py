#!/usr/bin/env python3
"""Status lookups leak nothing to a stranger, and a stranger cannot use them to lock the
owner out (contract 8).

Hole 1 (oracle): request.status of an erased subject's RQ- answers differently from a
never-issued reference (e.g. "that erasure was done on <date>"), so a stranger learns
that a person with that reference erased their data, and when.
Hole 2 (leak): for an open request the status turn names where the code went (masked
address, or the domain), linking a reference to a person.
Hole 3 (denial): a stranger holding RQ-X asks for status codes until refused; if the
budget is per reference, the owner is locked out of their own request.
Class: a reference treated as a capability, and a budget keyed so that the attacker
spends the victim's allowance.

Refused means: (1) the stranger's turns for RQ-E and for a made-up RQ- have the same
intent and the same reply text once the reference is blanked out, and contain no date;
(2) the status code turn for an open request shows neither the masked address nor the
domain; (3) after the stranger's lookups, the owner, in a session on the device that
made the request, still gets a verification.send for RQ-X.
"""
from harness import *

DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b|\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\b")
REF = re.compile(r"\bRQ-[A-Z0-9]{6}\b")


def unused_reference(used):
    for candidate in ("RQ-ZZZZZ9", "RQ-Q9Q9Q9", "RQ-X7X7X7"):
        if candidate not in used:
            return candidate


def body(a):
    srv = a.server()
    erased = "erased.person@example.org"
    se = srv.open(deviceId="erasing-device")["sessionId"]
    turn, ref_e = verified_request(srv, se, "erasure", erased)
    if turn.get("intent") != "request.erasure_done" or not ref_e:
        raise CannotRun(f"erasure did not complete: {turn.get('intent')}")
    fake = unused_reference({ref_e})
    s1 = srv.open(deviceId="stranger-1")["sessionId"]
    t_real = srv.call("request.status", {"sessionId": s1, "reference": ref_e})
    s2 = srv.open(deviceId="stranger-2")["sessionId"]
    t_fake = srv.call("request.status", {"sessionId": s2, "reference": fake})
    blank = lambda t: REF.sub("RQ-______", text_of(t))
    a.note(f"status of erased {ref_e}: intent {t_real.get('intent')!r}, events {[e['type'] for e in events(t_real)]}; "
           f"of never-issued {fake}: intent {t_fake.get('intent')!r}")
    if t_real.get("intent") != t_fake.get("intent") or blank(t_real) != blank(t_fake):
        a.fail(f"status of an erased request differs from a never-issued one: "
               f"{t_real.get('intent')!r} {blank(t_real)[:120]!r} vs {t_fake.get('intent')!r} {blank(t_fake)[:120]!r}")
    if DATE.search(text_of(t_real)):
        a.fail(f"status of an erased request shows a date: {DATE.search(text_of(t_real)).group(0)!r}")
    if bool(sends(t_real)) != bool(sends(t_fake)) or (decision_kind(t_real) != decision_kind(t_fake)):
        a.fail("status of an erased request differs from a never-issued one in events or decision")

    # 2: an open request's status code turn.
    owner = "owner.open@owner-mail.example.org"
    so = srv.open(deviceId="owner-device")["sessionId"]
    turn, ref_x = verified_request(srv, so, "complaint", owner, details="the assistant was rude to me")
    if not ref_x:
        raise CannotRun(f"complaint made no reference: {turn.get('intent')}")
    s3 = srv.open(deviceId="stranger-3")["sessionId"]
    t_open = srv.call("request.status", {"sessionId": s3, "reference": ref_x})
    leaks = leaks_address(t_open, owner)
    a.note(f"stranger's status of open {ref_x}: intent {t_open.get('intent')!r}, shows {leaks or 'nothing of the address'}")
    if leaks:
        a.fail(f"a stranger's status turn for {ref_x} shows {leaks}")

    # 3: the stranger exhausts status codes; the owner must still get one.
    stranger_codes = len(sends(t_open))
    lookups = 1
    for i in range(12):
        sid = srv.open(deviceId=f"stranger-x-{i}")["sessionId"]
        t, err = srv.try_call("request.status", {"sessionId": sid, "reference": ref_x})
        lookups += 1
        if t is not None:
            stranger_codes += len(sends(t))
    so2 = srv.open(deviceId="owner-device")["sessionId"]
    t_owner, err = srv.try_call("request.status", {"sessionId": so2, "reference": ref_x})
    got = bool(t_owner and sends(t_owner))
    a.note(f"stranger: {lookups} status lookups, {stranger_codes} codes sent; then the owner on their device: "
           f"{'a code' if got else 'no code (' + (decision_kind(t_owner) or str(err)) + ')'}")
    if not got:
        a.fail(f"after a stranger's {lookups} status lookups of {ref_x}, the owner on their own device got no code "
               f"({decision_kind(t_owner) or err})")


if __name__ == "__main__":
    Attack("status_lookup_leak").run(body)
