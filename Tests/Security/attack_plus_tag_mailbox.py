#!/usr/bin/env python3
"""[found] "+tags" reach one mailbox: the per-address budget should count them together.

Hole: "plus.tag+1@example.org", "plus.tag+2@example.org", ... are different addresses
as strings, and each gets its own per-address budget, but most mail providers deliver
every +tag to plus.tag@example.org: 20 tags = 20 budgets = 100 codes in one inbox.
Class: a counter keyed on an identifier with many spellings for one target.
Safest reasonable product (not in the contract, stated in README): the budget counts an
address without its +tag, trimmed and lower-cased, as one mailbox.

Refused means: at most `perAddress` (default 5) codes in all to plus.tag+N@example.org
(N = 1..20) and plus.tag@example.org, from fresh sessions and devices.
"""
from harness import *


def body(a):
    budget = a.budgets["perAddress"]
    srv = a.server()
    sent = 0
    for n in range(21):
        addr = "plus.tag@example.org" if n == 0 else f"plus.tag+{n}@example.org"
        sid = srv.open(deviceId=f"tag-dev-{n}")["sessionId"]
        rs = srv.pipeline([("request.start", {"sessionId": sid, "type": "access"}),
                           ("age.declare", {"sessionId": sid, "age": 40}),
                           ("request.identify", {"sessionId": sid, "email": addr}),
                           ("request.cancel", {"sessionId": sid})])
        t = rs[2].get("result")
        sent += sum(1 for e in sends(t) if re.fullmatch(r"plus\.tag(\+\d+)?@example\.org", e["data"].get("to", "").strip().lower()))
    a.note(f"21 requests to plus.tag(+N)@example.org: {sent} codes delivered to one mailbox")
    if sent > budget:
        a.fail(f"{sent} codes to one mailbox through +tags (budget {budget})")


if __name__ == "__main__":
    Attack("plus_tag_mailbox").run(body)
