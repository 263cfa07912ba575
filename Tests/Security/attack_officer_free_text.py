#!/usr/bin/env python3
"""The privacy officer's free text is redacted or refused, never stored as typed
(contract 7).

Hole: `policychat admin requests extend --reason` (and reject/complete with --reason/
--note) writes the officer's text into the database as typed; officers write phone
numbers and e-mail addresses of third parties there ("waiting on Jo, call ...").
  complaint (stays open) -> RQ- -> admin requests extend RQ- --reason "...phone, e-mail..."
  -> raw bytes of every db file; then the same with `reject --reason` on a second one.
Class: a second writer (the CLI) that bypasses the redaction the chat path applies.

Refused means: the command exits 0 (redacted) or 2 (refused), and no db file contains
"555 0123", "0825550123" or "jo.smith@example.org" (and the same for a second
number and address given to `reject --reason`).
"""
from harness import *

REASON = "Waiting on Jo, call +27 82 555 0123 or jo.smith@example.org"
NEEDLES = ["555 0123", "0825550123", "jo.smith@example.org"]
REASON2 = "Ask Sam on 082 555 0199 or sam.jones@example.org first"
NEEDLES2 = ["555 0199", "0825550199", "sam.jones@example.org"]


def open_complaint(srv, device, email):
    sid = srv.open(deviceId=device, country="ZA")["sessionId"]
    turn, ref = verified_request(srv, sid, "complaint", email,
                                 details="the assistant answered a question I did not ask")
    if not ref:
        raise CannotRun(f"complaint made no RQ- reference: {turn.get('intent')} {text_of(turn)[:200]}")
    return ref


def body(a):
    srv = a.server()
    ref1 = open_complaint(srv, "complainer-1", "complainer.one@example.org")
    ref2 = open_complaint(srv, "complainer-2", "complainer.two@example.org")
    srv.close()
    for verb, ref, reason, needles in (("extend", ref1, REASON, NEEDLES), ("reject", ref2, REASON2, NEEDLES2)):
        p = a.admin("requests", verb, ref, "--reason", reason, "--officer", "nomsa")
        hits = files_containing(a.dbdir, needles)
        shown = [n for n in needles if n in p.stdout.decode("utf-8", "replace")]
        a.note(f"admin requests {verb} {ref}: exit {p.returncode}; stored as typed: {sorted(hits) or 'nothing'}"
               + (f"; printed back: {shown}" if shown else ""))
        if p.returncode not in (0, 2):
            raise CannotRun(f"admin requests {verb} exited {p.returncode}: {p.stderr.decode()[:300]}")
        if hits:
            a.fail(f"admin requests {verb} stored the officer's text unredacted: {sorted(hits)} in "
                   f"{sorted(set(sum(hits.values(), [])))}")


if __name__ == "__main__":
    Attack("officer_free_text").run(body)
