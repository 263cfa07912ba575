#!/usr/bin/env python3
"""The device's age answer is monotone: strictest wins in every open and future session
of the device, in either order (contract 3a, 3b).

Hole: the under-age answer is remembered for *future* sessions of a device, but a
session that was already open (a second tab) keeps its own gate, so a child who was told
"under age" in tab A answers 40 in tab B and turns on chat logging there; and in the
reverse order an adult tab B that turned logging on keeps logging after the child in tab
A answers 12.
  a  A: age 12 (ZA) -> B: age 40, consent.set session_logging on -> a third session
  a' the same with no country (strictest rules)
  b  B: age 40 and logging on -> A: age 12 -> B: chat.send
Class: one session's gate decision not applied to the device's other live sessions.

Refused means: (a) B's ageGate is not "adult" after declaring 40, B's consent.set does
not end with consents.session_logging "given" nor logging true, a third session on the
device opens under age (or, if it does not say, declaring 40 there is not "adult");
(b) B's next turn shows childPrivacy true and logging not on.
"""
from harness import *


def third_session(srv, device):
    t = srv.open(deviceId=device)
    if is_under_age(t):
        return True, t
    d, err = srv.try_call("age.declare", {"sessionId": t["sessionId"], "age": 40})
    return False, (d or t)


def scenario_a(a, srv, device, country):
    kw = {"deviceId": device}
    if country:
        kw["country"] = country
    sa = srv.open(**kw)["sessionId"]
    sb = srv.open(**kw)["sessionId"]
    ta = srv.call("age.declare", {"sessionId": sa, "age": 12})
    if not is_under_age(ta):
        raise CannotRun(f"age 12 in {country or 'no country'} was not under age: {state(ta)}")
    tb, err = srv.try_call("age.declare", {"sessionId": sb, "age": 40})
    label = f"a ({country or 'no country'})"
    gate_b = state(tb).get("ageGate") if tb else None
    if gate_b == ADULT:
        a.fail(f"{label}: tab B answered 40 after tab A's 12 and got ageGate 'adult'")
    tc, err = srv.try_call("consent.set", {"sessionId": sb, "purpose": "session_logging", "granted": True})
    if tc is not None and logging_on(tc):
        a.fail(f"{label}: tab B turned session_logging on (consents {state(tc).get('consents')}, logging {state(tc).get('logging')})")
    under, t3 = third_session(srv, device)
    a.note(f"{label}: B gate {gate_b!r}, B logging after consent.set {state(tc).get('logging') if tc else err}, "
           f"third session {'under age' if under else 'gate ' + repr(state(t3).get('ageGate'))}")
    if not under and state(t3).get("ageGate") == ADULT:
        a.fail(f"{label}: a third session on the device answered 40 and got 'adult'")


def scenario_b(a, srv, device):
    sa = srv.open(deviceId=device, country="ZA")["sessionId"]
    sb = srv.open(deviceId=device, country="ZA")["sessionId"]
    tb = srv.call("age.declare", {"sessionId": sb, "age": 40})
    tc = srv.call("consent.set", {"sessionId": sb, "purpose": "session_logging", "granted": True})
    if not logging_on(tc):
        raise CannotRun(f"adult tab could not turn logging on: {state(tc)}")
    srv.call("chat.send", {"sessionId": sb, "text": "Do you sell my data?"})
    ta = srv.call("age.declare", {"sessionId": sa, "age": 12})
    tn = srv.call("chat.send", {"sessionId": sb, "text": "How long do you keep my data?"})
    st = state(tn)
    a.note(f"b: after A's 12, B's next turn: childPrivacy {st.get('childPrivacy')!r}, ageGate {st.get('ageGate')!r}, "
           f"logging {st.get('logging')!r}, session_logging {(st.get('consents') or {}).get('session_logging')!r}")
    if st.get("childPrivacy") is not True:
        a.fail(f"b: adult tab B is not a child's session after tab A answered 12 (childPrivacy {st.get('childPrivacy')!r})")
    if logging_on(tn):
        a.fail(f"b: tab B still logs after tab A answered 12 (logging {st.get('logging')!r}, "
               f"session_logging {(st.get('consents') or {}).get('session_logging')!r})")


def body(a):
    srv = a.server()
    scenario_a(a, srv, "tab-device-za", "ZA")
    scenario_a(a, srv, "tab-device-none", None)
    scenario_b(a, srv, "tab-device-reverse")


if __name__ == "__main__":
    Attack("age_second_tab").run(body)
