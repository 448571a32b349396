import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type RunReport, renderReportHtml, renderReportJson, renderReportMarkdown } from '@failover/core';
import { failoverRunClient } from '@failover/restate';
import { CliError } from './cli-error.js';
import type { ExitCode } from './cli-exit-codes.js';
import type { CliIo } from './cli-io.js';
import { loadPlan } from './load-plan.js';
import { exitCodeOfRecordedRun } from './run-exit-code.js';

export interface RestateRunOptions {
  planPath: string;
  /** The Restate ingress, e.g. http://127.0.0.1:8080. */
  restateUrl: string;
  /** The run's id, its workflow key: submitting an id again attaches to that run. Default: a new UUID. */
  runId?: string;
  approve: string[];
  reportPath?: string;
}

/**
 * `failover run --engine restate`: submits the plan to the workers behind a Restate
 * ingress (`failover worker`), then follows the run to its end. This process holds no
 * state: if it dies, the run goes on, and the same command with `--run-id` attaches again.
 */
export async function runOnRestate(options: RestateRunOptions, io: CliIo, cwd: string): Promise<ExitCode> {
  const { plan } = await loadPlan(options.planPath, cwd);
  const runId = options.runId ?? randomUUID();
  const client = failoverRunClient(options.restateUrl);
  const submitted = await client.submit(runId, { planId: plan.id, approve: options.approve });
  if (submitted.isErr()) throw new CliError(submitted.error.message);
  io.stderr.write(
    `Submitted run ${runId} of plan ${plan.id} to ${options.restateUrl}; waiting for it (Ctrl-C leaves it running; --run-id ${runId} attaches again).\n`,
  );
  const outcome = await client.attach(runId);
  if (outcome.isErr()) throw new CliError(outcome.error.message);
  const { report, status, workers } = outcome.value;
  io.stdout.write(`Run ${runId} ${status} on ${workers.join(' then ') || 'no worker'}.\n`);
  if (options.reportPath !== undefined) {
    const path = resolve(cwd, options.reportPath);
    const text = path.endsWith('.json')
      ? renderReportJson(report)
      : path.endsWith('.html')
        ? renderReportHtml(report)
        : renderReportMarkdown(report);
    writeFileSync(path, text);
    io.stderr.write(`Report written to ${options.reportPath}\n`);
  }
  return exitCodeOfRecordedRun(status);
}

/** The report Restate keeps with a finished run (`failover report <run id> --restate-url`). */
export async function reportFromRestate(restateUrl: string, runId: string): Promise<RunReport> {
  const outcome = await failoverRunClient(restateUrl).outcome(runId);
  if (outcome.isErr()) throw new CliError(outcome.error.message);
  if (outcome.value === null) {
    throw new CliError(
      `Run ${runId} has not finished at ${restateUrl}: no report yet (follow it with failover run --engine restate --run-id ${runId}).`,
    );
  }
  return outcome.value.report;
}
