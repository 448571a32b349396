#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The `failover` binary. Ctrl-C (or SIGTERM) cancels a run cleanly: the run
// journals `cancelled` and exits 5; a second Ctrl-C exits at once.
const controller = new AbortController();
let interrupted = 0;
const onSignal = (signal: NodeJS.Signals) => {
  interrupted++;
  if (interrupted > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
  controller.abort(new Error(`Received ${signal}.`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
// Exit as soon as nothing is pending; if something still holds the loop (an SDK's
// keep-alive sockets, a provider's timer), exit anyway shortly after.
setTimeout(() => process.exit(code), 2_000).unref();
