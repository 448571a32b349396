import { failoverRunClient } from '@failover/restate';
import { parseCommandArgs } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import { exitCodes } from '../cli-exit-codes.js';
import { pendingApprovalsText, pendingApprovalText } from '../pending-approvals-text.js';
import type { Command } from './command.js';

export const approveCommand: Command = {
  name: 'approve',
  summary: 'give (or refuse) an approval a run made with failover run --engine restate waits for',
  help: `Usage: failover approve <run id> --restate-url <ingress>
       failover approve <run id> <step id> --restate-url <ingress> [--deny] [--reason <text>] [--by <name>]

With only a run id, lists the approvals the run waits on, each with its question
and, for each forced database promotion it gates, the data-loss window read before
asking (or that it is unknown, and why), as the run journaled them.

With a step id, resolves the durable promise approval step <step id> of a Restate run waits on
(or will wait on: an answer given early is kept). The run carries on from any
worker; an answer given after the step timed out does not count.

The same over HTTP: POST <ingress>/failover-run/<run id>/approve with
{"stepId": "...", "approved": true, "by": "..."}. \`failover run --engine restate
--approve <step>\` approves a step when the run is submitted.

Options:
  --restate-url <url>  the Restate ingress, e.g. http://127.0.0.1:8080
  --deny               refuse it (the step fails, and the run rolls back as it would)
  --reason <text>      why it is refused (with --deny)
  --by <name>          who approves (kept in the run's events)
  -h, --help           show this help

Exit codes: 0 answered (or listed), 1 Restate could not be reached or refused it, 2 usage error.`,
  async run(args, { io }) {
    const { values, positionals } = parseCommandArgs(
      'approve',
      args,
      {
        'restate-url': { type: 'string' },
        deny: { type: 'boolean' },
        reason: { type: 'string' },
        by: { type: 'string' },
      },
      { min: 1, max: 2, names: 'a run id (and a step id to answer)' },
    );
    const restateUrl = values['restate-url'];
    if (restateUrl === undefined) {
      throw new CliError('failover approve needs --restate-url <ingress url>, e.g. http://127.0.0.1:8080.');
    }
    if (values.reason !== undefined && !values.deny) throw new CliError('--reason goes with --deny.');
    const [runId, stepId] = positionals as [string, string | undefined];
    if (stepId === undefined && (values.deny || values.by !== undefined))
      throw new CliError('--deny, --reason and --by answer a step: give its id after the run id.');
    const client = failoverRunClient(restateUrl);
    // What the run asked, as Restate keeps it: read from Restate only, never from a provider.
    const status = await client.status(runId);
    if (stepId === undefined) {
      if (status.isErr()) {
        io.stderr.write(`${status.error.message}\n`);
        return exitCodes.failed;
      }
      const { state, pendingApprovals = [] } = status.value;
      io.stdout.write(pendingApprovalsText(runId, state, pendingApprovals, restateUrl));
      return exitCodes.success;
    }
    const asked = status.isOk()
      ? status.value.pendingApprovals?.find((pending) => pending.stepId === stepId)
      : undefined;
    const approved = values.deny !== true;
    const answered = await client.approve(runId, {
      stepId,
      approved,
      ...(approved && values.by !== undefined && { by: values.by }),
      ...(!approved && { reason: values.reason ?? `refused${values.by ? ` by ${values.by}` : ''}` }),
    });
    if (answered.isErr()) {
      io.stderr.write(`${answered.error.message}\n`);
      return exitCodes.failed;
    }
    io.stdout.write(`${approved ? 'Approved' : 'Refused'} step ${stepId} of run ${runId}.\n`);
    // The record of what was answered: the question and data-loss windows the run was waiting with.
    if (asked) io.stdout.write(`It asked:\n${pendingApprovalText(asked, '  ')}\n`);
    return exitCodes.success;
  },
};
