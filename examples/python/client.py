#!/usr/bin/env python3
"""A minimal PolicyChat front end: spawn `policychat serve`, ask one question, print the answer.

Usage: client.py [path/to/policychat]   (default: $POLICYCHAT_BIN, else `policychat` in PATH)
The knowledge folder is $POLICYCHAT_HOME, else the current folder. Standard library only.
"""
import itertools
import json
import os
import subprocess
import sys

binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("POLICYCHAT_BIN", "policychat")
home = os.environ.get("POLICYCHAT_HOME") or os.getcwd()
server = subprocess.Popen(
    [binary, "serve", "--home", home],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, encoding="utf-8",
)
ids = itertools.count(1)


def call(method, **params):
    """Send one request line and read its response line (responses come in request order)."""
    request = {"jsonrpc": "2.0", "id": next(ids), "method": method, "params": params}
    server.stdin.write(json.dumps(request) + "\n")
    server.stdin.flush()
    line = server.stdout.readline()
    if not line:
        sys.exit("policychat serve ended unexpectedly")
    response = json.loads(line)
    if "error" in response:
        error = response["error"]
        sys.exit(f"{method} failed: {error['code']} {error['data']['reason']}: {error['message']}")
    return response["result"]


info = call("initialize")
print(f"Connected to {info['serverName']} {info['serverVersion']} (protocol {info['protocolVersion']})")
session = call("session.open", locale="en-GB")["sessionId"]
turn = call("chat.send", sessionId=session, text="Do you sell personal information?")
for reply in turn["replies"]:
    print(reply["text"])
call("session.close", sessionId=session)
server.stdin.close()  # end of input: the server closes its sessions and exits 0
sys.exit(server.wait())
