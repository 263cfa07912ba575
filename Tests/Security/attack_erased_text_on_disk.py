#!/usr/bin/env python3
"""Erased chat text leaves the disk (contract 6).

Hole: an erasure deletes the transcript rows, but the text stays in the database's
files: the WAL (not checkpointed), free pages, the FTS index or its shadow tables, a
journal, so anyone who copies the folder reads what the person was promised was deleted.
  logging on -> chat.send "my passphrase is zebra-quartz-4471" -> erasure (identify,
  verify, confirm) -> request.erasure_done -> read every file of the db folder as bytes
  while serve runs, and again after serve exits.
Class: deletion at the record layer that leaves the bytes at the storage layer.

Refused means: the phrase (and its distinctive part) is in none of the files, both
while serve still runs (after the erasure's response) and after it exits.
"""
from harness import *

PHRASE = "my passphrase is zebra-quartz-4471"
NEEDLES = [PHRASE, "zebra-quartz-4471", "zebra-quartz"]


def body(a):
    srv = a.server()
    sid = srv.open(deviceId="erase-text-device", country="ZA")["sessionId"]
    t = srv.call("age.declare", {"sessionId": sid, "age": 40})
    t = srv.call("consent.set", {"sessionId": sid, "purpose": "session_logging", "granted": True})
    if not logging_on(t):
        raise CannotRun(f"logging could not be turned on: {state(t)}")
    for text in (PHRASE, f"Remember: {PHRASE}, please", "How long do you keep my data?"):
        srv.call("chat.send", {"sessionId": sid, "text": text})
    before = files_containing(a.dbdir, NEEDLES)
    if not before:
        a.note("the phrase never reached the disk (nothing was kept, or it was redacted before storing)")
    turn, ref = verified_request(srv, sid, "erasure", "erase.text@example.org")
    if turn.get("intent") != "request.erasure_done":
        raise CannotRun(f"erasure did not complete: {turn.get('intent')} {text_of(turn)[:200]}")
    running = files_containing(a.dbdir, NEEDLES)
    srv.close()
    stopped = files_containing(a.dbdir, NEEDLES)
    files = sorted(Path(p).name for p in db_files_bytes(a.dbdir))
    a.note(f"files in the db folder: {files}")
    a.note(f"before erasure the phrase was in: {sorted(set(sum(before.values(), [])))}; "
           f"after {ref} with serve running: {sorted(set(sum(running.values(), [])))}; "
           f"after serve exited: {sorted(set(sum(stopped.values(), [])))}")
    if running:
        a.fail(f"after the erasure, with serve running, the phrase is still in {sorted(set(sum(running.values(), [])))}")
    if stopped:
        a.fail(f"after the erasure and serve's exit, the phrase is still in {sorted(set(sum(stopped.values(), [])))}")


if __name__ == "__main__":
    Attack("erased_text_on_disk").run(body)
