#!/usr/bin/env python3
"""The device's age answer is monotone across two serve processes racing on one db
(contract 3c).

Hole: the device's stored answer is last-writer-wins: an adult answer with a consent
written by one process can overwrite the under-age answer another process just wrote
for the same device, so the child's device "forgets" it is a child's.
For 1,000 fresh deviceIds, pipelined: process 1 opens a session, answers 40 and turns
session_logging on; process 2, concurrently, opens a session on the same device (ZA) and
answers 12. Afterwards a new session on each device (in process 1, process 2 and a third
process) must be under age.
Class: a read-modify-write of shared state without a "strictest wins" merge.

Refused means: 0 looser outcomes: every device's new session starts under age (or, where
the opening turn does not show a gate, answering 40 there is not "adult").
"""
import threading
from harness import *

DEVICES = 1000


def body(a):
    p1 = a.server(name="p1")
    p2 = a.server(name="p2")
    devices = [f"race-{i:04d}" for i in range(DEVICES)]
    results = {}

    def run(name, srv, open_params, after):
        try:
            opens = srv.pipeline([("session.open", open_params(d)) for d in devices], timeout=50)
            sids = [o["result"]["sessionId"] for o in opens]
            calls = []
            for sid in sids:
                calls += after(sid)
            results[name] = srv.pipeline(calls, timeout=50)
        except Exception as e:
            results[name] = e

    adult = lambda sid: [("age.declare", {"sessionId": sid, "age": 40}),
                         ("consent.set", {"sessionId": sid, "purpose": "session_logging", "granted": True})]
    child = lambda sid: [("age.declare", {"sessionId": sid, "age": 12})]
    t1 = threading.Thread(target=run, args=("p1", p1, lambda d: {"deviceId": d}, adult))
    t2 = threading.Thread(target=run, args=("p2", p2, lambda d: {"deviceId": d, "country": "ZA"}, child))
    t1.start(); t2.start()
    t1.join(55); t2.join(55)
    for name in ("p1", "p2"):
        if isinstance(results.get(name), Exception) or name not in results:
            raise CannotRun(f"{name}: {results.get(name)}")
    children = sum(1 for r in results["p2"] if is_under_age(r.get("result")))
    adults = sum(1 for r in results["p1"][0::2] if state(r.get("result")).get("ageGate") == ADULT)
    a.note(f"{DEVICES} devices raced: process 1 saw {adults} adult answers, process 2 {children} under-age answers")

    p3 = a.server(name="p3")
    looser = {}
    for name, srv in (("p1", p1), ("p2", p2), ("p3", p3)):
        if a.out_of_time(5):
            break
        opens = srv.pipeline([("session.open", {"deviceId": d}) for d in devices], timeout=40)
        loose = [d for d, o in zip(devices, opens) if not is_under_age(o.get("result"))]
        # Where the opening turn did not show an under-age gate, try declaring 40.
        if loose:
            sids = [o["result"]["sessionId"] for d, o in zip(devices, opens) if d in set(loose)]
            decl = srv.pipeline([("age.declare", {"sessionId": s, "age": 40}) for s in sids], timeout=40)
            loose = [d for d, r in zip(loose, decl) if state(r.get("result")).get("ageGate") == ADULT]
        looser[name] = len(loose)
    a.note("looser outcomes (new session then 40 gives 'adult'): " +
           ", ".join(f"{k} {v}" for k, v in looser.items()))
    total = max(looser.values()) if looser else 0
    if total:
        a.fail(f"{total} of {DEVICES} devices lost their under-age answer in the race "
               f"({', '.join(f'{k}: {v}' for k, v in looser.items())})")


if __name__ == "__main__":
    Attack("age_process_race").run(body)
