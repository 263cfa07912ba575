#!/usr/bin/env python3
"""Erasure keeps the device's under-age answer (contract 4).

Hole: an erasure deletes "the subject's device answers", and a device becomes the
subject's once an adult verified on it; so an adult (or a child with the adult's
address) on another device erases the child's device's under-age answer, and the child
can then answer the screen again as an adult.
  1  device D: adult verifies as x@example.org (access request) -> D linked to X
  2  device D, new session: the child answers 12 (ZA) -> under age
  3  device E: erasure for x@example.org (identify, verify, confirm)
  4  device D, new session: must start under age; age.declare 40 must not be "adult"
Class: a deletion keyed on a person deleting a protection keyed on a device.

Refused means: after the erasure, the new session on D is under age (or says nothing
and declaring 40 there does not give "adult").
"""
from harness import *


def body(a):
    srv = a.server()
    x = "x.subject@example.org"
    sd = srv.open(deviceId="family-device-D")["sessionId"]
    turn, ref = verified_request(srv, sd, "access", x)
    if not ref:
        raise CannotRun(f"access request on D made no reference: {turn.get('intent')}")
    sc = srv.open(deviceId="family-device-D", country="ZA")["sessionId"]
    tc = srv.call("age.declare", {"sessionId": sc, "age": 12})
    if not is_under_age(tc):
        raise CannotRun(f"child's answer was not under age: {state(tc)}")
    before = srv.open(deviceId="family-device-D")
    se = srv.open(deviceId="adult-device-E")["sessionId"]
    turn, eref = verified_request(srv, se, "erasure", x)
    if turn.get("intent") != "request.erasure_done":
        raise CannotRun(f"erasure did not complete: {turn.get('intent')} {text_of(turn)[:200]}")
    after = srv.open(deviceId="family-device-D")
    gate_open = state(after).get("ageGate")
    d, err = srv.try_call("age.declare", {"sessionId": after["sessionId"], "age": 40})
    gate_40 = state(d).get("ageGate") if d else f"error {err.get('code')}"
    a.note(f"before erasure a new session on D opened {state(before).get('ageGate')!r}; after erasure {eref}: "
           f"opened {gate_open!r}, then age 40 -> {gate_40!r}")
    if not is_under_age(after):
        a.fail(f"after the erasure of {x}, a new session on the child's device opened with ageGate {gate_open!r}")
    if gate_40 == ADULT:
        a.fail("after the erasure, age.declare 40 on the child's device gave 'adult'")


if __name__ == "__main__":
    Attack("erasure_keeps_device_answer").run(body)
