#!/usr/bin/env python3
"""PolicyChat through an off-the-shelf JSON-RPC library: jsonrpcclient builds every request
and parses every response into Ok or Error; this script only moves lines through the pipes.

Usage: jsonrpcclient_example.py [path/to/policychat]   (default: $POLICYCHAT_BIN, else `policychat`)
Needs `pip install jsonrpcclient` (4.x); knowledge from $POLICYCHAT_HOME, else the current folder.
"""
import json
import os
import subprocess
import sys

from jsonrpcclient import Error, Ok, notification, parse, request

binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("POLICYCHAT_BIN", "policychat")
home = os.environ.get("POLICYCHAT_HOME") or os.getcwd()
server = subprocess.Popen(
    [binary, "serve", "--home", home],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, encoding="utf-8",
)


def send(message):
    server.stdin.write(json.dumps(message) + "\n")
    server.stdin.flush()


def call(method, params=None):
    """One request, one response line: Ok(result, id) or Error(code, message, data, id)."""
    message = request(method, params=params)
    send(message)
    response = parse(json.loads(server.stdout.readline()))
    assert response.id == message["id"], "responses come in request order"
    return response


def result(response):
    if isinstance(response, Error):
        sys.exit(f"error {response.code} {response.data['reason']}: {response.message}")
    return response.result


info = result(call("initialize"))
print(f"{info['serverName']} {info['serverVersion']}, protocol {info['protocolVersion']}")
session = result(call("session.open", {"country": "ZA"}))["sessionId"]
send(notification("chat.send", {"sessionId": session, "text": "hello"}))  # answered by no line
for question in ["Do you sell personal information?", "How long do you keep my data?"]:
    turn = result(call("chat.send", {"sessionId": session, "text": question}))
    print(f"[{turn['intent']}] {turn['replies'][0]['text'].splitlines()[0]}")
print(f"explained: {'trace' in result(call('chat.explain', {'sessionId': session}))}")
result(call("session.close", {"sessionId": session}))

closed = call("chat.send", {"sessionId": session, "text": "still there?"})
if isinstance(closed, Ok):
    sys.exit("a closed session still answered")
print(f"after close: Error {closed.code} {closed.data['reason']}")
server.stdin.close()
sys.exit(server.wait())
