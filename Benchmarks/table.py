#!/usr/bin/env python3
"""The one table of Benchmarks/run.sh: every figure of a run, PolicyChat beside its peers.

  table.py facts OUT.json --binary PATH [--load-at-start "1.0 0.9 0.8"]
      writes the facts of the machine and of the tree (CPU, nproc, load average, memory,
      OS, Swift, Python and hyperfine versions, git HEAD and dirty flag, UTC date) and of the
      release binary (size in bytes, its `size` segments).
  table.py merge DIR [--out FILE] [--markdown FILE] [--command TEXT]
      reads what run.sh left in DIR (facts.json, bench.json from policychat-bench --json,
      cold-start.json from cold-start.sh --json, serve.json from serve-bench.py --json,
      replay.txt and replay-usage.txt from `policychat replay`, peers.json from peers.py
      --json; any of them may be missing), prints one Markdown table and writes everything,
      inputs included, to FILE as JSON.

Rows are measurements; columns are PolicyChat and each peer that ran (bm25, rivescript,
dense), each peer followed by its ratio to PolicyChat: peer ÷ PolicyChat for times and
memory (above 1 = the peer takes more), peer ÷ PolicyChat for requests per second (above
1 = the peer answers more), and the difference in percentage points for the rates
(peer − PolicyChat). A figure that only PolicyChat has leaves the peers' cells empty.
Standard library only.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = ["bm25", "rivescript", "dense"]
MIB = 1024 * 1024


# --- facts -----------------------------------------------------------------------------------

def output_of(*command):
    """The stripped standard output of a command, or None when it cannot run or fails."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def read_field(path, key, separator=":"):
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                name, _, value = line.partition(separator)
                if name.strip() == key:
                    return value.strip().strip('"')
    except OSError:
        pass
    return None


def binary_facts(binary):
    facts = {"path": os.path.abspath(binary)}
    try:
        facts["bytes"] = os.stat(binary).st_size
    except OSError:
        return facts
    # Berkeley format: text data bss dec hex filename.
    berkeley = output_of("size", binary) if shutil.which("size") else None
    if berkeley:
        lines = berkeley.splitlines()
        if len(lines) == 2:
            numbers = lines[1].split()
            facts.update(text_bytes=int(numbers[0]), data_bytes=int(numbers[1]), bss_bytes=int(numbers[2]))
    file_type = output_of("file", "-b", binary) if shutil.which("file") else None
    if file_type:
        facts["stripped"] = "not stripped" not in file_type
    return facts


def facts(options):
    load_now = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else None
    try:
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                                text=True, cwd=ROOT, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        status = None
    changed = sorted({line[3:].split("/")[0] for line in (status or "").splitlines() if line.strip()})
    memory = read_field("/proc/meminfo", "MemTotal")  # "24684096 kB"
    if memory and memory.endswith(" kB"):
        memory = f"{int(memory.split()[0]) / MIB:.1f} GiB"
    swift = output_of("swift", "--version")
    hyperfine = output_of("hyperfine", "--version")
    data = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": read_field("/proc/cpuinfo", "model name") or output_of("uname", "-p"),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "load_average_at_start": options.load_at_start or load_now,
        "load_average_before_measuring": load_now,
        "memory": memory,
        "os": read_field("/etc/os-release", "PRETTY_NAME", "="),
        "kernel": os.uname().release,
        "swift": swift.splitlines()[0] if swift else None,
        "python": sys.version.split()[0],
        "hyperfine": hyperfine,
        "git_head": output_of("git", "rev-parse", "--short", "HEAD"),
        "git_dirty": bool(status),
        "git_dirty_paths": changed,
        "binary": binary_facts(options.binary),
        "build_flags": options.build_flags,
    }
    write_json(options.out, data)
    return 0


# --- merge: reading the inputs ------------------------------------------------------------------

def load(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def load_replay(folder):
    """The `replayed N turns from M transcripts in T s (R turns/s)` line, and /usr/bin/time's figures."""
    path = os.path.join(folder, "replay.txt")
    if not os.path.exists(path):
        return None
    replay = {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    found = re.search(r"replayed (\d+) turns from (\d+) transcripts in ([\d.]+) s \(([\d.,]+) turns/s\)", text)
    if found:
        replay.update(turns=int(found[1]), transcripts=int(found[2]), seconds=float(found[3]),
                      turns_per_second=float(found[4].replace(",", "")))
    outcome = re.search(r"^(\d+) passed, (\d+) failed", text, re.MULTILINE)
    if outcome:
        replay.update(passed=int(outcome[1]), failed=int(outcome[2]))
    usage = os.path.join(folder, "replay-usage.txt")
    if os.path.exists(usage):
        with open(usage, encoding="utf-8") as handle:
            for line in handle:
                key, _, value = line.strip().partition("=")
                if key in ("wall_seconds", "max_rss_kib", "exit_status") and value:
                    replay[key] = float(value) if key == "wall_seconds" else int(value)
    if "turns_per_second" not in replay and replay.get("wall_seconds"):
        replay["note"] = "no turns/s line in the output; see replay.txt"
    return replay


# --- merge: formatting ----------------------------------------------------------------------------

def ms(value, digits=3):
    return "" if value is None else f"{value:,.{digits}f} ms"


def mib(kib):
    return "" if kib is None else f"{kib / 1024:.1f} MiB"


def per_second(value, unit):
    return "" if value is None else f"{value:,.0f} {unit}"


def percent(pair):
    passed, total = pair
    return f"{passed}/{total} ({100 * passed / total:.1f} %)" if total else "n/a"


def times(peer, base):
    if peer is None or base is None or base == 0:
        return ""
    return f"×{peer / base:.2f}"


def points(peer, base):
    if peer is None or base is None or not peer[1] or not base[1]:
        return ""
    return f"{100 * (peer[0] / peer[1] - base[0] / base[1]):+.1f} pt".replace("-", "−")


def spread_ms(summary):
    """hyperfine's result (seconds) as 'median ± σ ms'."""
    if summary is None:
        return ""
    stddev = summary.get("stddev") or 0.0
    return f"{summary['median'] * 1000:,.1f} ± {stddev * 1000:,.1f} ms"


def markdown(header, lines):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines)]
    render = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([render(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [render(l) for l in lines])


class Table:
    """Rows of (measurement, PolicyChat's cell, {peer: (cell, ratio)})."""

    def __init__(self, peers):
        self.peers = peers
        self.rows = []

    def section(self, title):
        self.rows.append([f"**{title}**"] + [""] * (1 + 2 * len(self.peers)))

    def add(self, label, ours, peers=None):
        """peers: {name: (cell, ratio)}; a row with no peers leaves their cells empty."""
        cells = [label, ours]
        for name in self.peers:
            cell, ratio = (peers or {}).get(name, ("", ""))
            cells += [cell, ratio]
        self.rows.append(cells)

    def render(self):
        header = ["measurement", "PolicyChat"]
        for name in self.peers:
            header += [name, f"{name} vs PolicyChat"]
        # A section heading with no figures under it (a step that did not run) is left out.
        heading = lambda row: row[0].startswith("**") and not any(row[1:])
        rows = [row for n, row in enumerate(self.rows)
                if not heading(row) or (n + 1 < len(self.rows) and not heading(self.rows[n + 1]))]
        return markdown(header, rows)


def build_table(data):
    bench, cold, serve, replay, peers = (data.get(k) for k in ("bench", "cold_start", "serve", "replay", "peers"))
    tools = (peers or {}).get("tools", {})
    ours = tools.get("PolicyChat")
    # serve-bench.py --peer: the same messages through each peer's own pipes.
    serve_peers = (serve or {}).get("peers") or {}
    present = [name for name in PEERS if name in tools or name in serve_peers]
    table = Table(present)
    notes = []

    def peer_row(label, cell, value, ratio=times, ours_value=None):
        """A row every tool has: cell(tool) formats, value(tool) feeds the ratio."""
        if ours is None:
            return
        base = value(ours) if ours_value is None else ours_value
        table.add(label, cell(ours), {n: (cell(tools[n]), ratio(value(tools[n]), base)) for n in present})

    if peers:
        table.section(f"Answer quality ({peers['sections']} policy sections, the same questions for every tool)")
        dev_total = ours["dev"][1] if ours else 0
        peer_row(f"dev set, qa + fallback passed ({dev_total} judged)", lambda t: percent(t["dev"]), lambda t: t["dev"],
                 points)
        labelled = ours["pqa"][1] if ours else 0
        peer_row(f"PrivacyQA-train top-1 section accuracy ({labelled:,} labelled)", lambda t: percent(t["pqa"]),
                 lambda t: t["pqa"], points)
        nones = ours["none"][1] if ours else 0
        peer_row(f"PrivacyQA-train 'none' → fallback ({nones} questions)", lambda t: percent(t["none"]),
                 lambda t: t["none"], points)
        peer_row("PrivacyQA-train labelled → fallback (lower is better)", lambda t: str(t["labelled_fallback"]),
                 lambda t: t["labelled_fallback"])

    table.section("Start-up")
    cold_tools = (cold or {}).get("tools", {})
    if "PolicyChat" in cold_tools:
        results = {name: tool["hyperfine"]["results"][0] for name, tool in cold_tools.items()}
        base = results["PolicyChat"]
        runs = {name: len(r.get("times") or []) for name, r in results.items()}
        label = f"cold start to first answer, process start → exit (hyperfine, {runs['PolicyChat']} runs): median ± σ"
        table.add(label, spread_ms(base),
                  {n: (spread_ms(results[n]), times(results[n]["median"], base["median"])) for n in present
                   if n in results})
        table.add("↳ min – max",
                  f"{base['min'] * 1000:,.1f} – {base['max'] * 1000:,.1f} ms",
                  {n: (f"{results[n]['min'] * 1000:,.1f} – {results[n]['max'] * 1000:,.1f} ms", "") for n in present
                   if n in results})
        fewer = [f"{n} {runs[n]}" for n in present if n in runs and runs[n] != runs["PolicyChat"]]
        if fewer:
            notes.append("cold start runs that differ from PolicyChat's: " + ", ".join(fewer))
    if ours:
        runs = peers["startup_runs_per_tool"]
        peer_row(f"spawn → first answer, process kept running (peers.py, median of {runs})",
                 lambda t: ms(t["startup"], 1), lambda t: t["startup"])
    if bench and bench.get("start_up"):
        start = bench["start_up"]
        table.add(f"engine start-up in process (`Engine.init` × {start['count']}): median / p99",
                  f"{start['median_ms']:,.1f} / {start['p99_ms']:,.1f} ms")

    table.section("Latency")
    if bench:
        for key, name in (("dev_set", "dev set"), ("privacy_qa", "PrivacyQA")):
            figures = bench.get(key)
            if figures:
                table.add(f"`send` in process, {name} ({figures['count']:,} turns): median / p99 / p99.9",
                          f"{figures['median_ms']:.3f} / {figures['p99_ms']:.3f} / {figures['p999_ms']:.3f} ms")
    if ours:
        count = ours.get("latency_count", 0)
        peer_row(f"round trip per question over pipes, fresh session (peers.py, {count:,} q): median",
                 lambda t: ms(t["median"]), lambda t: t["median"])
        peer_row("↳ p99", lambda t: ms(t["p99"]), lambda t: t["p99"])
        if "p999" in ours:
            peer_row("↳ p99.9", lambda t: ms(t["p999"]), lambda t: t["p999"])
    if serve:
        lock = serve["lockstep"]
        cell = lambda f: f"{f['median_ms']:.3f} / {f['p99_ms']:.3f} / {f['p999_ms']:.3f} ms"
        table.add(f"`serve` lockstep round trip ({lock['count']:,} `chat.send`): median / p99 / p99.9", cell(lock),
                  {n: (cell(f["lockstep"]), times(f["lockstep"]["median_ms"], lock["median_ms"]))
                   for n, f in serve_peers.items()})

    table.section("Throughput")
    if serve:
        piped = serve["pipelined"]
        cell = lambda f: f"{per_second(f['requests_per_second'], 'req/s')} ({f['seconds']:.2f} s)"
        table.add(f"`serve`, {piped['count']:,} pipelined `chat.send` (peers: the same questions, one pipe)",
                  cell(piped),
                  {n: (cell(f["pipelined"]), times(f["pipelined"]["requests_per_second"], piped["requests_per_second"]))
                   for n, f in serve_peers.items()})
    if replay:
        if "turns_per_second" in replay:
            cell = f"{per_second(replay['turns_per_second'], 'turns/s')} ({replay['seconds']:.2f} s)"
            label = f"replay, {replay['transcripts']} transcripts ({replay['turns']:,} turns)"
        else:
            cell, label = "no figure (see replay.txt)", "replay"
        table.add(label, cell)
        if replay.get("exit_status"):
            notes.append(f"replay exited with status {replay['exit_status']}"
                         f" ({replay.get('failed', '?')} transcripts failed): its figure is still the time taken")
    if bench and bench.get("dev_set") and bench.get("privacy_qa"):
        table.add("turns/s in process (one thread), dev set / PrivacyQA loop",
                  f"{bench['dev_set']['turns_per_second']:,.0f} / {bench['privacy_qa']['turns_per_second']:,.0f}")

    table.section("Peak memory (resident)")
    if "PolicyChat" in cold_tools:
        kib = {name: tool.get("max_rss_kib") for name, tool in cold_tools.items()}
        table.add("one-question run (`/usr/bin/time` ru_maxrss, median of 5)", mib(kib["PolicyChat"]),
                  {n: (mib(kib[n]), times(kib[n], kib["PolicyChat"])) for n in present if n in kib})
    if ours:
        peer_row("after all questions, one process (peers.py, VmHWM)", lambda t: mib(t["peak_kib"]),
                 lambda t: t["peak_kib"])
    if bench and bench.get("peak_memory"):
        table.add("`policychat-bench` (VmHWM)", mib(bench["peak_memory"].get("high_water_mark_kib")))
    if serve and serve.get("peak_kib"):
        table.add(f"`serve` after {serve['requests']:,} requests (VmHWM)", mib(serve["peak_kib"]),
                  {n: (mib(f.get("peak_kib")), times(f.get("peak_kib"), serve["peak_kib"]))
                   for n, f in serve_peers.items()})

    binary = (data.get("facts") or {}).get("binary") or {}
    if binary.get("bytes"):
        table.section("Size")
        stripped = {True: ", stripped", False: ", not stripped"}.get(binary.get("stripped"), "")
        table.add(f"release binary `policychat` (file size{stripped})",
                  f"{binary['bytes']:,} B ({binary['bytes'] / MIB:.1f} MiB)")
        if binary.get("text_bytes"):
            table.add("↳ text segment (`size`)", f"{binary['text_bytes']:,} B ({binary['text_bytes'] / MIB:.1f} MiB)")

    for row in tools.values():
        parts = []
        if row.get("threshold") is not None:
            parts.append(f"fallback threshold {row['threshold']:.4f} (tuned on the dev set)")
        if row.get("composed") is not None:
            parts.append(f"dev {percent(row['composed'])} when a parent section's answer is completed with its"
                         " sub-sections")
        if row["name"] == "PolicyChat" and row.get("request_total"):
            parts.append(f"dev requests to their intent {row['requests']}/{row['request_total']} (peers have none)")
        if row.get("note"):
            parts.append(row["note"])
        if parts:
            notes.append(f"{row['name']}: " + "; ".join(parts))
    for name, why in ((peers or {}).get("skipped") or {}).items():
        notes.append(f"{name}: {why}")
    setup = (peers or {}).get("venv_setup") or {}
    if setup.get("steps"):
        notes.append(f"the peers' virtualenv was set up in this run ({setup['seconds']:.0f} s): "
                     + ", ".join(f"{s['step']} {s['seconds']:.0f} s" for s in setup["steps"]))
    if bench and bench.get("debug_build"):
        notes.append("policychat-bench was a DEBUG build: its figures are not representative")
    missing = [name for name in ("bench", "cold_start", "serve", "replay", "peers") if not data.get(name)]
    if missing:
        notes.append("not measured in this run: " + ", ".join(missing))
    return table.render(), notes


def header_lines(data):
    facts = data.get("facts") or {}
    dirty = ""
    if facts.get("git_dirty"):
        dirty = " + uncommitted changes to tracked files in " + ", ".join(facts.get("git_dirty_paths") or ["?"])
    lines = [
        f"PolicyChat benchmarks, {facts.get('date_utc', '?')}" + (f" ({data['command']})" if data.get("command") else ""),
        "",
        f"- machine: {facts.get('cpu', '?')}, nproc {facts.get('nproc', '?')}, {facts.get('memory', '?')} RAM, "
        f"{facts.get('os', '?')}, Linux {facts.get('kernel', '?')}",
        f"- load average (1, 5, 15 min): {facts.get('load_average_at_start', '?')} at start, "
        f"{facts.get('load_average_before_measuring', '?')} after the build, "
        f"{data.get('load_average_at_end', '?')} at the end",
        f"- toolchain: {facts.get('swift', '?')}, release build"
        + (f" ({facts['build_flags']})" if facts.get("build_flags") else "")
        + f"; Python {facts.get('python', '?')}; "
        f"{facts.get('hyperfine') or 'no hyperfine'}",
        f"- tree: HEAD {facts.get('git_head', '?')}" + (dirty or " (clean)"),
    ]
    return lines


def merge(options):
    folder = options.folder
    data = {
        "command": options.command,
        "facts": load(folder, "facts.json"),
        "bench": load(folder, "bench.json"),
        "cold_start": load(folder, "cold-start.json"),
        "serve": load(folder, "serve.json"),
        "replay": load_replay(folder),
        "peers": load(folder, "peers.json"),
        "load_average_at_end": " ".join(open("/proc/loadavg").read().split()[:3])
        if os.path.exists("/proc/loadavg") else None,
    }
    table, notes = build_table(data)
    text = "\n".join(header_lines(data) + ["", table, ""] + [f"- {note}" for note in notes])
    text += ("\n\nRatios: peer ÷ PolicyChat for times and memory (above 1 = the peer takes more) and for requests "
             "per second (above 1 = the peer answers more); rates: peer − "
             "PolicyChat in percentage points. Timings are of one run on a shared machine: compare them on one "
             "machine only.\n")
    print(text)
    data["table_markdown"] = text
    if options.markdown:
        with open(options.markdown, "w", encoding="utf-8") as handle:
            handle.write(text)
    if options.out:
        write_json(options.out, data)
        print(f"all figures, inputs included: {options.out}", file=sys.stderr)
    return 0


def write_json(path, data):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="mode", required=True)
    facts_parser = commands.add_parser("facts", help="record the machine, the tree and the binary")
    facts_parser.add_argument("out")
    facts_parser.add_argument("--binary", required=True)
    facts_parser.add_argument("--load-at-start", help="/proc/loadavg's first three figures when the run began")
    facts_parser.add_argument("--build-flags", help="the flags the release build was linked with (none: --no-build)")
    merge_parser = commands.add_parser("merge", help="print the one table of a run")
    merge_parser.add_argument("folder")
    merge_parser.add_argument("--out", help="write every figure, inputs included, to this JSON file")
    merge_parser.add_argument("--markdown", help="also write the printed table to this file")
    merge_parser.add_argument("--command", help="the command line of the run, for the heading")
    options = parser.parse_args()
    return facts(options) if options.mode == "facts" else merge(options)


if __name__ == "__main__":
    sys.exit(main())
