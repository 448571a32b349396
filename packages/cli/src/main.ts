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
// Nothing should keep the process alive after a command (an embedded emulator, stdin).
process.stdin.unref?.();
