#!/usr/bin/env python3
"""[found] The code budget holds under a burst from two processes at once.

Hole (class): check-then-send: each process reads "codes sent to V in 24 h", finds
fewer than the budget, and sends; two processes (or one pipelined burst) read the same
count before either writes, so the budget is exceeded by up to the number of racers.
Two serve processes on one db each open 20 sessions on fresh devices, then write all 20
request.identify(V) in one pipelined burst, at the same moment.

Refused means: at most `perAddress` (default 5) verification.send events to V in all.
"""
import threading
from harness import *

PER = 20


def body(a):
    budget = a.budgets["perAddress"]
    victim = "burst.victim@example.org"
    servers = [a.server(name="p1"), a.server(name="p2")]
    prepared = []
    for k, srv in enumerate(servers):
        opens = srv.pipeline([("session.open", {"deviceId": f"burst-{k}-{i}"}) for i in range(PER)])
        sids = [o["result"]["sessionId"] for o in opens]
        calls = []
        for sid in sids:
            calls += [("request.start", {"sessionId": sid, "type": "access"}),
                      ("age.declare", {"sessionId": sid, "age": 40})]
        srv.pipeline(calls)
        prepared.append(sids)
    results = {}
    go = threading.Event()

    def burst(k):
        go.wait(5)
        try:
            results[k] = servers[k].pipeline([("request.identify", {"sessionId": s, "email": victim}) for s in prepared[k]])
        except Exception as e:
            results[k] = e

    threads = [threading.Thread(target=burst, args=(k,)) for k in range(2)]
    [t.start() for t in threads]
    go.set()
    [t.join(30) for t in threads]
    for k in range(2):
        if isinstance(results.get(k), Exception) or k not in results:
            raise CannotRun(f"p{k + 1}: {results.get(k)}")
    per = [sum(len(sends(r.get("result"), victim)) for r in results[k]) for k in range(2)]
    a.note(f"2 processes x {PER} pipelined identify calls at once: {per[0]} + {per[1]} codes to the victim")
    if sum(per) > budget:
        a.fail(f"{sum(per)} codes to one address in a two-process burst (budget {budget})")


if __name__ == "__main__":
    Attack("budget_burst_race").run(body)
