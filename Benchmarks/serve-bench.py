#!/usr/bin/env python3
"""Benchmark of `policychat serve` as a front end sees it, over its stdin and stdout pipes.

Prints figures only; nothing here passes or fails on a time:
  - round-trip latency (median, p99, p99.9) of chat.send for one client in lockstep,
  - throughput of pipelined chat.send requests (all written at once from a thread),
  - the server's peak resident memory (VmHWM, Linux) just before the end of its input;
  - with --peer NAME (bm25, rivescript, dense), the same three for that peer of peers.py
    answering the same questions over its own pipes (`peers.py --worker NAME`, one JSON
    line per question, in the peers' virtualenv), so the figures stand side by side.

Usage: Benchmarks/serve-bench.py [BINARY] [--lockstep N] [--pipelined N] [--sessions N] [--jobs N] [--json FILE]
           [--peer NAME]... [--peer-python PATH]
BINARY defaults to $POLICYCHAT_BINARY, else .build-bench/release/policychat; build it with
`swift build -c release --scratch-path .build-bench --product policychat`. --json FILE also
writes the figures as JSON (times in ms, memory in KiB). Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

QUESTIONS = [
    "Do you sell personal information?",
    "How long do you keep my data?",
    "Can I delete my data?",
    "What cookies do you use?",
    "How long does cookie consent last in Germany?",
    "Do you transfer data outside the EU?",
    "Who do you share my data with?",
    "How do you protect my information?",
    "What personal information do you collect?",
    "Why do you process my data?",
    "What is your legal basis for processing?",
    "Can I get a copy of my data?",
    "How can I correct my details?",
    "Can I object to direct marketing?",
    "Do you collect data from children?",
    "How will I know if the policy changes?",
    "How do I contact your data protection officer?",
    "Do you use my data for automated decisions?",
    "tell me more",
    "hello",
]


class Server:
    """A `policychat serve` child with pipes on stdin and stdout; requests numbered from 1."""

    def __init__(self, binary, home, jobs=None):
        command = [binary, "serve", "--db", ":memory:", "--home", home]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.output = os.fdopen(self.process.stdout.fileno(), "rb", buffering=1 << 16, closefd=False)
        self.next_id = 1

    def request(self, method, params=None):
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.next_id += 1
        return (json.dumps(message, separators=(",", ":")) + "\n").encode()

    def read_response(self, line, expected_id):
        if not line:
            sys.exit(f"serve-bench: the server ended early (exit status {self.process.wait()})")
        response = json.loads(line)
        if response.get("id") != expected_id or "error" in response:
            sys.exit(f"serve-bench: unexpected response to request {expected_id}: {line[:300]!r}")
        return response["result"]

    def call(self, method, params=None):
        expected = self.next_id
        self.process.stdin.write(self.request(method, params))
        return self.read_response(self.output.readline(), expected)

    def proc_status(self, field):
        """A figure of /proc/<pid>/status in KiB, or None off Linux."""
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def cpu_seconds(self):
        """User plus system CPU time of the server so far, or None off Linux."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None


class Peer:
    """A peer of peers.py answering {"q"} lines with {"section", "score"} lines over pipes."""

    def __init__(self, name, python):
        command = [python, os.path.join(ROOT, "Benchmarks", "peers.py"), "--worker", name]
        self.name = name
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, cwd=ROOT)
        self.output = os.fdopen(self.process.stdout.fileno(), "rb", buffering=1 << 16, closefd=False)

    @staticmethod
    def request(question):
        return (json.dumps({"q": question}, separators=(",", ":")) + "\n").encode()

    def read_answer(self, line):
        if not line or "section" not in json.loads(line):
            sys.exit(f"serve-bench: the {self.name} peer ended early or answered {line[:200]!r}")

    proc_status = Server.proc_status
    cpu_seconds = Server.cpu_seconds


def peer_lines(count):
    """The peer's question lines: the same messages as the server's, in the same order."""
    return [Peer.request(QUESTIONS[n % len(QUESTIONS)]) for n in range(count)]


def measure_peer(name, python, options):
    """The peer's figures in the shape of the server's (lockstep, pipelined, peak)."""
    peer = Peer(name, python)
    check = lambda number, line: peer.read_answer(line)
    timed_lockstep(peer, peer_lines(50), check)  # warm-up, as for the server
    latencies = sorted(timed_lockstep(peer, peer_lines(options.lockstep), check))
    cpu_before = peer.cpu_seconds()
    elapsed = timed_pipelined(peer, peer_lines(options.pipelined), check)
    cpu_after = peer.cpu_seconds()
    peak = peer.proc_status("VmHWM")
    peer.process.stdin.close()
    status = peer.process.wait()
    return {**timing_figures(latencies, options.pipelined, elapsed, cpu_before, cpu_after), "peak_kib": peak,
            "exit_status": status}


def timing_figures(latencies, count, elapsed, cpu_before, cpu_after):
    """The JSON of a lockstep run (sorted latencies, ms) and a pipelined one, for the server or a peer."""
    return {
        "lockstep": {
            "count": len(latencies), "median_ms": statistics.median(latencies),
            "p99_ms": percentile(latencies, 0.99), "p999_ms": percentile(latencies, 0.999),
            "mean_ms": statistics.fmean(latencies), "max_ms": latencies[-1],
        },
        "pipelined": {
            "count": count, "seconds": elapsed, "requests_per_second": count / elapsed,
            "server_cpu_seconds": None if cpu_before is None or cpu_after is None else cpu_after - cpu_before,
        },
    }


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, round(fraction * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def timed_lockstep(child, lines, check):
    """Write one line, wait for its answer, repeat; latencies in ms. check(number, answer) stops on a bad one."""
    latencies = []
    for number, line in enumerate(lines):
        started = time.perf_counter_ns()
        child.process.stdin.write(line)
        answer = child.output.readline()
        latencies.append((time.perf_counter_ns() - started) / 1e6)
        check(number, answer)
    return latencies


def timed_pipelined(child, lines, check):
    """Write every line at once from a thread, read every answer, then check them; seconds taken."""
    payload = b"".join(lines)
    failure = []

    def write():
        try:
            child.process.stdin.write(payload)
        except OSError as error:
            failure.append(error)

    started = time.perf_counter()
    writer = threading.Thread(target=write)
    writer.start()
    raw = [child.output.readline() for _ in lines]
    elapsed = time.perf_counter() - started
    writer.join()
    if failure:
        sys.exit(f"serve-bench: writing the pipelined requests failed: {failure[0]}")
    for number, answer in enumerate(raw):
        check(number, answer)
    return elapsed


def chat_sends(server, sessions, count):
    """`count` numbered chat.send lines going round the sessions, and the check of their answers."""
    first = server.next_id
    lines = [
        server.request("chat.send", {"sessionId": sessions[n % len(sessions)], "text": QUESTIONS[n % len(QUESTIONS)]})
        for n in range(count)
    ]
    return lines, lambda number, line: server.read_response(line, first + number)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_binary = os.environ.get("POLICYCHAT_BINARY") or os.path.join(ROOT, ".build-bench", "release", "policychat")
    parser.add_argument("binary", nargs="?", default=default_binary,
                        help="the policychat binary (default $POLICYCHAT_BINARY, else .build-bench/release/policychat)")
    parser.add_argument("--home", default=ROOT, help="folder with knowledge/ and intents/ (default: this checkout)")
    parser.add_argument("--lockstep", type=int, default=2000, help="chat.send requests in lockstep (default 2000)")
    parser.add_argument("--pipelined", type=int, default=10000, help="pipelined chat.send requests (default 10000)")
    parser.add_argument("--sessions", type=int, default=4, help="sessions the requests go round (default 4)")
    parser.add_argument("--jobs", type=int, help="serve's --jobs (default: the server's own, one per CPU)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument("--peer", action="append", default=[], choices=["bm25", "rivescript", "dense"],
                        help="also measure this peer of peers.py over its pipes (repeatable)")
    venv = os.environ.get("PEERS_VENV") or os.path.join(ROOT, ".venv-peers")
    parser.add_argument("--peer-python", default=os.path.join(venv, "bin", "python"),
                        help="the peers' Python (default $PEERS_VENV/bin/python, else .venv-peers/bin/python)")
    options = parser.parse_args()
    if min(options.lockstep, options.pipelined, options.sessions) < 1:
        parser.error("--lockstep, --pipelined and --sessions must be at least 1")
    if not os.access(options.binary, os.X_OK):
        sys.exit(f"serve-bench: no executable at {options.binary}: "
                 "run `swift build -c release --scratch-path .build-bench --product policychat` first")

    server = Server(options.binary, options.home, options.jobs)
    info = server.call("initialize")
    sessions = [server.call("session.open")["sessionId"] for _ in range(options.sessions)]
    timed_lockstep(server, *chat_sends(server, sessions, 50))  # warm-up: caches, allocator, first use of every code path
    memory_before = server.proc_status("VmHWM")

    latencies = sorted(timed_lockstep(server, *chat_sends(server, sessions, options.lockstep)))
    cpu_before = server.cpu_seconds()
    elapsed = timed_pipelined(server, *chat_sends(server, sessions, options.pipelined))
    cpu_after = server.cpu_seconds()
    peak = server.proc_status("VmHWM")
    resident = server.proc_status("VmRSS")

    server.process.stdin.close()
    status = server.process.wait()

    print(f"policychat serve {info['serverVersion']} (protocol {info['protocolVersion']}): {options.binary}")
    print(f"{options.sessions} sessions, {len(QUESTIONS)} different messages in turn, "
          f"--jobs {options.jobs if options.jobs is not None else 'default (one per CPU)'}")
    print()
    print(f"lockstep, {options.lockstep} chat.send, one client (round trip through the pipes):")
    print(f"  median {statistics.median(latencies):.3f} ms   p99 {percentile(latencies, 0.99):.3f} ms   "
          f"p99.9 {percentile(latencies, 0.999):.3f} ms   mean {statistics.fmean(latencies):.3f} ms   "
          f"max {latencies[-1]:.3f} ms")
    print(f"pipelined, {options.pipelined} chat.send written at once:")
    print(f"  {options.pipelined / elapsed:,.0f} requests/s   total {elapsed:.3f} s", end="")
    if cpu_before is not None and cpu_after is not None:
        print(f"   server CPU {cpu_after - cpu_before:.3f} s")
    else:
        print()
    if peak is not None:
        print(f"peak memory (VmHWM) before end of input: {peak / 1024:.1f} MiB "
              f"(after warm-up {memory_before / 1024:.1f} MiB, resident at the end {resident / 1024:.1f} MiB)")
    else:
        print("peak memory: not available (no /proc)")
    print(f"exit status at end of input: {status}")
    if options.peer and not os.access(options.peer_python, os.X_OK):
        sys.exit(f"serve-bench: no {options.peer_python}: run `python3 Benchmarks/peers.py --setup-only` first")
    peers = {}
    for name in options.peer:
        figures = peers[name] = measure_peer(name, options.peer_python, options)
        lock, piped = figures["lockstep"], figures["pipelined"]
        print()
        print(f"peer {name} (peers.py --worker {name}, one JSON line per question, the same messages):")
        print(f"  lockstep median {lock['median_ms']:.3f} ms   p99 {lock['p99_ms']:.3f} ms   "
              f"p99.9 {lock['p999_ms']:.3f} ms")
        print(f"  pipelined {piped['requests_per_second']:,.0f} answers/s   total {piped['seconds']:.3f} s")
        if figures["peak_kib"] is not None:
            print(f"  peak memory (VmHWM) {figures['peak_kib'] / 1024:.1f} MiB")
        print(f"  PolicyChat against it: pipelined ×{options.pipelined / elapsed / piped['requests_per_second']:.2f}, "
              f"lockstep median ×{statistics.median(latencies) / lock['median_ms']:.2f} of its time")
    if options.json:
        figures = {
            "binary": os.path.abspath(options.binary), "server_version": info.get("serverVersion"),
            "protocol_version": info.get("protocolVersion"), "sessions": options.sessions, "jobs": options.jobs,
            "messages": len(QUESTIONS),
            **timing_figures(latencies, options.pipelined, elapsed, cpu_before, cpu_after),
            "peak_kib": peak, "peak_kib_after_warm_up": memory_before, "resident_kib_at_end": resident,
            "requests": 1 + options.sessions + 50 + options.lockstep + options.pipelined,
            "exit_status": status, "peers": peers,
        }
        os.makedirs(os.path.dirname(os.path.abspath(options.json)), exist_ok=True)
        with open(options.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)
            handle.write("\n")
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
