#!/usr/bin/env node
// A minimal PolicyChat front end: spawn `policychat serve`, ask one question, print the answer.
//
// Usage: node client.js [path/to/policychat]   (default: $POLICYCHAT_BIN, else `policychat` in PATH)
// The knowledge folder is $POLICYCHAT_HOME, else the current folder. No packages needed.
'use strict';
const { spawn } = require('node:child_process');
const readline = require('node:readline');

const binary = process.argv[2] || process.env.POLICYCHAT_BIN || 'policychat';
const home = process.env.POLICYCHAT_HOME || process.cwd();
const server = spawn(binary, ['serve', '--home', home], { stdio: ['pipe', 'pipe', 'inherit'] });
server.on('error', (error) => { console.error(`cannot start ${binary}: ${error.message}`); process.exit(1); });

// Responses come in request order, one JSON object per line: match them to requests by id.
const pending = new Map();
let nextId = 1;
readline.createInterface({ input: server.stdout }).on('line', (line) => {
  const response = JSON.parse(line);
  const request = pending.get(response.id);
  pending.delete(response.id);
  if (!request) return;
  if (response.error) {
    const { code, message, data } = response.error;
    request.reject(new Error(`${request.method} failed: ${code} ${data.reason}: ${message}`));
  } else {
    request.resolve(response.result);
  }
});

function call(method, params = {}) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { method, resolve, reject });
    server.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
  });
}

async function main() {
  const info = await call('initialize');
  console.log(`Connected to ${info.serverName} ${info.serverVersion} (protocol ${info.protocolVersion})`);
  const { sessionId } = await call('session.open', { locale: 'en-GB' });
  const turn = await call('chat.send', { sessionId, text: 'Do you sell personal information?' });
  for (const reply of turn.replies) console.log(reply.text);
  await call('session.close', { sessionId });
  server.stdin.end(); // end of input: the server closes its sessions and exits 0
}

server.on('exit', (code) => { process.exitCode = code ?? 1; });
main().catch((error) => { console.error(error.message); server.kill(); process.exit(1); });
