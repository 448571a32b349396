import type { FailoverPlan, Time } from '@failover/core';
import { CliError, describeThrown } from '../cli-error.js';
import { type StatusServer, startStatusServer } from './status-server.js';
import { createStatusState } from './status-state.js';

/** Starts the live status page of `failover run|drill --status-port` and prints its URL. */
export async function startStatusPage(
  options: { port: number; host: string },
  plan: FailoverPlan,
  clock: Pick<Time, 'now'>,
  planPath: string,
  stderr: { write(text: string): unknown },
): Promise<StatusServer> {
  // The page has no write actions: an approval is granted where the run asks for it,
  // or by running the plan again with --approve.
  const grant = (stepId: string) =>
    `answer the prompt of this run, or: failover run ${planPath} --journal <journal> --resume --approve ${stepId}`;
  try {
    const server = await startStatusServer({
      state: createStatusState(plan, grant),
      now: () => clock.now(),
      host: options.host,
      port: options.port,
    });
    stderr.write(`Live status page: ${server.url}\n`);
    return server;
  } catch (thrown) {
    throw new CliError(
      `Could not serve the status page on ${options.host}:${options.port}: ${describeThrown(thrown)}`,
    );
  }
}
