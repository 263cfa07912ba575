#!/usr/bin/env python3
"""Runs the attack suite: every attack_*.py in this folder against one binary.

    python3 Tests/Security/run.py BINARY [--only NAME] [--timeout SECONDS]

Each attack exits 0 when the hole is closed (refused), 1 when it got through, 2 when it
could not run. One line per attack, then a final line "N passed, N failed"; the exit
status is non-zero if any attack failed (got through or could not run).
"""
import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--only", action="append", default=[],
                        help="run only attacks whose name contains NAME (repeatable)")
    parser.add_argument("--timeout", type=float, default=90, help="seconds per attack (default 90)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print each attack's full output")
    args = parser.parse_args()
    attacks = sorted(HERE.glob("attack_*.py"))
    if args.only:
        attacks = [p for p in attacks if any(o in p.stem for o in args.only)]
    if not attacks:
        print("no attack matched", file=sys.stderr)
        print("0 passed, 0 failed")
        return 2
    passed = failed = 0
    started = time.monotonic()
    for path in attacks:
        name = path.stem[len("attack_"):]
        t0 = time.monotonic()
        try:
            p = subprocess.run([sys.executable, str(path), args.binary], capture_output=True, text=True,
                               timeout=args.timeout, cwd=str(HERE.parents[1]))
            code, out = p.returncode, p.stdout + p.stderr
        except subprocess.TimeoutExpired as e:
            code, out = 2, f"timed out after {args.timeout:.0f} s\n"
        took = time.monotonic() - t0
        verdict = {0: "PASS (refused)", 1: "FAIL (got through)"}.get(code, f"FAIL (could not run, exit {code})")
        if code == 0:
            passed += 1
        else:
            failed += 1
        lines = out.strip().splitlines()
        detail = ""
        holes = [l.strip() for l in lines if l.strip().startswith(("hole:", "error:"))]
        if holes:
            detail = " | " + holes[0][:200] + (f" (+{len(holes) - 1} more)" if len(holes) > 1 else "")
        print(f"{name:<34} {verdict} {took:5.1f} s{detail}", flush=True)
        if args.verbose or (code != 0 and code != 1):
            for l in lines:
                print("    " + l)
    print(f"# total {time.monotonic() - started:.0f} s", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
