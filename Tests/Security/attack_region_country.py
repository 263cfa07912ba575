#!/usr/bin/env python3
"""A region is not a country (contract 5).

Hole: "European Union" / "EU" is accepted as a country with no age of its own, so the
default age 13 applies and a 14-year-old in Germany (16) passes as an adult; in the chat,
"Europe" in answer to "which country?" is taken as a policy question and drops the
pending request, so the next "Germany" is a policy answer with nothing waiting.
  1  country.set "European Union" / "EU", then age.declare 14
  2  chat "Delete my data" -> "Europe" / "the EU" -> "Germany"
Class: input outside the jurisdiction table silently mapped to the loosest default.

Refused means: (1) after country.set (accepted or -32602), age 14 does not give
"adult"; (2) the reply to "Europe"/"the EU" cites no policy section (sources empty) and
"Germany" still leads into the request's age question (ageGate "asking" or a
date-of-birth question), not a plain answer with nothing pending.
"""
from harness import *

DOB = re.compile(r"date of birth|born|how old", re.I)


def body(a):
    srv = a.server()
    for region in ("European Union", "EU", "Europe"):
        sid = srv.open()["sessionId"]
        t, err = srv.try_call("country.set", {"sessionId": sid, "country": region})
        accepted = "accepted" if t is not None else f"error {err.get('code')}"
        d, err2 = srv.try_call("age.declare", {"sessionId": sid, "age": 14})
        gate = state(d).get("ageGate") if d else f"error {err2.get('code')}"
        a.note(f"country.set {region!r}: {accepted} (country {state(t).get('country')!r}); age 14 -> {gate!r}")
        if gate == ADULT:
            a.fail(f"country.set {region!r} then age 14 gave 'adult'")

    for answer in ("Europe", "the EU", "European Union"):
        sid = srv.open()["sessionId"]
        t1 = srv.call("chat.send", {"sessionId": sid, "text": "Delete my data"})
        if state(t1).get("ageGate") != "asking":
            raise CannotRun(f"'Delete my data' did not start the age screen: {t1.get('intent')}")
        t2 = srv.call("chat.send", {"sessionId": sid, "text": answer})
        t3 = srv.call("chat.send", {"sessionId": sid, "text": "Germany"})
        pending = state(t3).get("ageGate") == "asking" or bool(DOB.search(text_of(t3)))
        a.note(f"chat {answer!r}: intent {t2.get('intent')!r}, sources {[s.get('id') for s in t2.get('sources', [])]}; "
               f"then 'Germany': intent {t3.get('intent')!r}, ageGate {state(t3).get('ageGate')!r}")
        if t2.get("sources"):
            a.fail(f"chat: {answer!r} in answer to the country question was answered from the policy "
                   f"({t2['sources'][0].get('id')}), dropping the request")
        if not pending:
            a.fail(f"chat: after {answer!r}, 'Germany' did not lead back into the erasure's age question "
                   f"(intent {t3.get('intent')!r})")


if __name__ == "__main__":
    Attack("region_country").run(body)
