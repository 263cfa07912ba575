#!/usr/bin/env python3
"""[found] The second-tab hole (contract 3a) through every other entry point.

Hole: the same as attack_age_second_tab, but tab B loosens the device's answer through
chat text and other forms instead of age.declare {age}: "/age 1980-01-01",
"I was born on 1 March 1980", "I'm 40", age.declare {dateOfBirth}, and turns logging on
with "/consent on logging" or "you can keep my chats"; and a country lift: tab A in DE
answers 15 (needs consent), tab B says it is in the UK (13) and answers 15.
Class: one rule enforced at one entry point (the protocol method) but not at its chat
twins.

Refused means: after tab A's under-age answer, no tab-B form gives ageGate "adult" nor
ends with logging on (state.logging true or consents.session_logging "given").
"""
from harness import *

FORMS = [
    ("chat /age", [("chat.send", {"text": "/age 1980-01-01"}), ("chat.send", {"text": "/consent on logging"})]),
    ("chat date of birth", [("chat.send", {"text": "I was born on 1 March 1980"}),
                            ("chat.send", {"text": "you can keep my chats"})]),
    ("chat I'm 40", [("chat.send", {"text": "Delete my data"}), ("chat.send", {"text": "I'd rather not say"}),
                     ("chat.send", {"text": "I'm 40"}), ("chat.send", {"text": "cancel"}),
                     ("chat.send", {"text": "/consent on logging"})]),
    ("age.declare dateOfBirth", [("age.declare", {"dateOfBirth": "1980-03-01"}),
                                 ("consent.set", {"purpose": "session_logging", "granted": True})]),
]


def body(a):
    srv = a.server()
    for n, (label, steps) in enumerate(FORMS):
        device = f"entry-device-{n}"
        sa = srv.open(deviceId=device, country="ZA")["sessionId"]
        sb = srv.open(deviceId=device, country="ZA")["sessionId"]
        if not is_under_age(srv.call("age.declare", {"sessionId": sa, "age": 12})):
            raise CannotRun("age 12 in ZA was not under age")
        adult = logging = False
        for method, params in steps:
            t, err = srv.try_call(method, dict(params, sessionId=sb))
            if t is None:
                continue
            adult = adult or state(t).get("ageGate") == ADULT
            logging = logging_on(t)
        a.note(f"tab B {label}: adult {adult}, logging at the end {logging}")
        if adult:
            a.fail(f"tab B ({label}) got ageGate 'adult' after tab A's under-age answer")
        if logging:
            a.fail(f"tab B ({label}) ended with logging on after tab A's under-age answer")

    # Country lift: A in DE answers 15; B says UK (consent age 13) and answers 15.
    sa = srv.open(deviceId="entry-device-de", country="DE")["sessionId"]
    sb = srv.open(deviceId="entry-device-de")["sessionId"]
    ta = srv.call("age.declare", {"sessionId": sa, "age": 15})
    if not is_under_age(ta):
        raise CannotRun(f"15 in DE was not under age: {state(ta)}")
    srv.call("chat.send", {"sessionId": sb, "text": "I live in the UK"})
    tb, err = srv.try_call("age.declare", {"sessionId": sb, "age": 15})
    gate = state(tb).get("ageGate") if tb else err
    a.note(f"tab A DE 15, tab B 'UK' + 15: {gate!r}")
    if gate == ADULT:
        a.fail("tab B lifted tab A's DE answer by naming the UK and answering 15")


if __name__ == "__main__":
    Attack("age_tab_entry_points").run(body)
