#!/usr/bin/env python3
"""[found] The per-address budget counts one mailbox however it is spelt.

Hole: the server trims the address, drops a trailing dot and zero-width characters and
sends to it, but a budget keyed on the address as typed would count "X@Example.ORG",
" x@example.org ", "x@example.org." and "x@EXAMPLE.org<ZWSP>" as four mailboxes, all
delivered to one inbox. (Look-alikes such as a fullwidth or Cyrillic "x" are refused as
addresses by the baseline; they are tried too, and must not add codes either.)
Each spelling is tried from fresh sessions and devices, twice.
Class: a counter keyed on an unnormalised identifier.

Refused means: at most `perAddress` (default 5) verification.send events whose `to`,
trimmed, lower-cased, without a trailing dot or zero-width characters, is
variant.mailbox@example.org. (+tags are a separate attack: attack_plus_tag_mailbox.py.)
"""
import unicodedata
from harness import *

BASE = "variant.mailbox@example.org"
VARIANTS = ["Variant.Mailbox@Example.ORG", " variant.mailbox@example.org ", "variant.mailbox@example.org.",
            "variant.mailbox@EXAMPLE.org\u200b", "VARIANT.MAILBOX@EXAMPLE.ORG", "\tvariant.mailbox@example.org",
            "variant.mailbox@example.org\u00a0", "\uff56ariant.mailbox@example.org", "variant.mailbox@ex\u0430mple.org",
            "variant.mailbox@xn--example-.org"]


def canon(addr):
    addr = unicodedata.normalize("NFKC", addr)
    addr = "".join(ch for ch in addr if unicodedata.category(ch) != "Cf").strip().lower().rstrip(".")
    return addr


def body(a):
    budget = a.budgets["perAddress"]
    srv = a.server()
    sent = 0
    by_variant = {}
    n = 0
    for rep in range(2):
        for v in VARIANTS:
            n += 1
            sid = srv.open(deviceId=f"variant-dev-{n}")["sessionId"]
            rs = srv.pipeline([("request.start", {"sessionId": sid, "type": "access"}),
                               ("age.declare", {"sessionId": sid, "age": 40}),
                               ("request.identify", {"sessionId": sid, "email": v}),
                               ("request.cancel", {"sessionId": sid})])
            t = rs[2].get("result")
            k = sum(1 for e in sends(t) if canon(e["data"].get("to", "")) == BASE)
            sent += k
            by_variant[repr(v)] = by_variant.get(repr(v), 0) + k
    a.note(f"{n} requests with {len(VARIANTS)} spellings: {sent} codes to {BASE} "
           f"(per spelling: {', '.join(f'{k} {c}' for k, c in by_variant.items())})")
    if sent > budget:
        a.fail(f"{sent} codes reached {BASE} through {sum(1 for c in by_variant.values() if c)} spellings (budget {budget})")


if __name__ == "__main__":
    Attack("address_variants").run(body)
