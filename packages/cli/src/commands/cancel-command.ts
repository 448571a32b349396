import { failoverRunClient } from '@failover/restate';
import { parseCommandArgs } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import { exitCodes } from '../cli-exit-codes.js';
import type { Command } from './command.js';

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'cancel a run made with failover run --engine restate',
  help: `Usage: failover cancel <run id> --restate-url <ingress> [--by <name>]

Asks a Restate run to stop: Restate cancels the run's invocation, and the run ends
\`cancelled\` as a local run does on Ctrl-C: it stops waiting and rolls nothing
back (run the plan again, or its failback, from where it stopped). The outcome
is journaled by Restate: \`failover report <run id> --restate-url\` reads it.
A run that has finished, or was asked to stop already, is left alone.

The same over HTTP: POST <ingress>/failover-run/<run id>/cancel with {"by": "..."}
(or cancel the run's invocation with Restate's admin API or CLI: its id is in the
answer of POST <ingress>/failover-run/<run id>/status).

Options:
  --restate-url <url>  the Restate ingress, e.g. http://127.0.0.1:8080
  --by <name>          who asks (kept with the run)
  -h, --help           show this help

Exit codes: 0 asked (or nothing to cancel), 1 Restate could not be reached, 2 usage error.`,
  async run(args, { io }) {
    const { values, positionals } = parseCommandArgs(
      'cancel',
      args,
      { 'restate-url': { type: 'string' }, by: { type: 'string' } },
      { min: 1, max: 1, names: 'a run id' },
    );
    const restateUrl = values['restate-url'];
    if (restateUrl === undefined) {
      throw new CliError('failover cancel needs --restate-url <ingress url>, e.g. http://127.0.0.1:8080.');
    }
    const runId = positionals[0]!;
    const answer = await failoverRunClient(restateUrl).cancel(
      runId,
      values.by !== undefined ? { by: values.by } : {},
    );
    if (answer.isErr()) {
      io.stderr.write(`${answer.error.message}\n`);
      return exitCodes.failed;
    }
    const { requested, state, status } = answer.value;
    io.stdout.write(
      requested
        ? `Run ${runId}: cancel requested (${state === 'not-started' ? 'it will not start' : 'it stops at its next wait or call'}).\n`
        : state === 'finished'
          ? `Run ${runId} had already finished (${status}): nothing to cancel.\n`
          : `Run ${runId}: a cancel was already requested.\n`,
    );
    return exitCodes.success;
  },
};
