import { FailoverError } from '../errors/failover-error.js';
import { redact } from '../errors/redact.js';
import type { ActionSpec } from '../plan/action-spec.js';
import type { DatabaseFailoverV1 } from '../providers/database/database-failover-v1.js';
import type { DatabaseTopology } from '../providers/database/database-topology.js';
import { isMemberNamed } from '../providers/database/member-name.js';
import { worstReplicationLag } from '../providers/database/replication-lag.js';
import { err, ok, type Result } from '../result.js';
import { callProvider } from './provider-call.js';
import type { DataLossWindowEvidence } from './step-evidence.js';
import type { StepRun } from './step-run.js';

type DatabaseAction = Extract<ActionSpec, { type: 'database' }>;

/**
 * The data-loss window as read: evidence when the lag is known, `lagMs` absent when it
 * is not (`unknownReason` then says why, for the approver).
 */
export type DataLossWindow = Omit<DataLossWindowEvidence, 'lagMs'> & {
  lagMs?: number;
  unknownReason?: string;
};

/**
 * The data-loss window of a forced promotion about to be made: the replication
 * lag of the member taking over, read right before it (`observeReplicationLag`
 * when the adapter has it, else the lag the topology just described carries).
 * `lagMs` is absent when nothing reported it: the window is then unknown.
 */
export async function observeDataLossWindow(
  run: StepRun,
  spec: DatabaseAction,
  db: DatabaseFailoverV1,
  observed: DatabaseTopology,
): Promise<DataLossWindow> {
  const database = spec.database.id;
  let lagMs: number | undefined;
  let observedAt = run.ctx.time.now();
  let source = 'the topology';
  let unknownReason = 'the adapter reads no replication lag and the topology reports none';
  if (db.observeReplicationLag) {
    const read = await callProvider(
      run,
      spec.provider,
      db.provider,
      'observe',
      'observeReplicationLag',
      (o) => db.observeReplicationLag!(spec.database, o),
    );
    if (read.isOk()) {
      const sample = worstReplicationLag(read.value, {
        region: spec.region,
        ...(spec.memberId && { memberId: spec.memberId }),
      });
      if (sample) {
        lagMs = sample.lagMs;
        observedAt = sample.sampledAt;
        source = 'observeReplicationLag';
      } else unknownReason = `no lag sample for ${spec.region} and the topology reports none`;
    } else {
      warn(run, `the replication lag of ${database} could not be read: ${read.error.message}`);
      unknownReason = `reading it failed: ${redact(read.error.message)}`;
    }
  }
  if (lagMs === undefined) {
    const member = observed.members.find(
      (candidate) =>
        candidate.role === 'reader' &&
        candidate.region === spec.region &&
        (spec.memberId === undefined || isMemberNamed(candidate, spec.memberId)),
    );
    lagMs = member?.replicationLagMs;
  }
  const at = new Date(observedAt).toISOString();
  return {
    type: 'data-loss-window',
    database,
    ...(lagMs !== undefined ? { lagMs } : { unknownReason }),
    observedAt,
    summary:
      lagMs === undefined
        ? `data-loss window of ${database}: unknown (no replication lag reported before the forced promotion)`
        : `data-loss window of ${database}: the forced promotion loses at most ${lagMs} ms of writes (lag from ${source}, at ${at})`,
  };
}

/**
 * `objectives.rpoMs` as a gate: a forced promotion whose last observed lag exceeds
 * it is refused (`precondition-failed`, not retried) unless the step says
 * `acceptDataLossBeyondRpo` (behind the approval every forced step has). An
 * unknown lag is let through with a warning: the outage may have taken the
 * metrics with it, and refusing then would strand the failover.
 */
export function rpoGate(
  run: StepRun,
  spec: DatabaseAction,
  window: { lagMs?: number; database: string },
): Result<void, FailoverError> {
  const rpoMs = run.ctx.rpoMs;
  if (rpoMs === undefined) return ok(undefined);
  if (window.lagMs === undefined) {
    warn(
      run,
      `the RPO of ${rpoMs} ms cannot be checked for ${window.database}: its replication lag is unknown`,
    );
    return ok(undefined);
  }
  if (window.lagMs <= rpoMs) return ok(undefined);
  if (spec.acceptDataLossBeyondRpo) {
    warn(
      run,
      `${window.database} lags ${window.lagMs} ms, beyond the RPO of ${rpoMs} ms: promoted anyway (acceptDataLossBeyondRpo)`,
    );
    return ok(undefined);
  }
  return err(
    new FailoverError({
      kind: 'precondition-failed',
      retryable: false,
      message: `A forced promotion of ${window.database} would lose up to ${window.lagMs} ms of writes, beyond the plan's RPO of ${rpoMs} ms. Wait for the lag to fall, or set acceptDataLossBeyondRpo on the step (behind its approval).`,
      provider: 'executor',
      operation: 'ensureWriter',
      path: 'action.mode',
    }),
  );
}

function warn(run: StepRun, message: string): void {
  const safe = redact(message);
  run.warnings ??= [];
  run.warnings.push(safe);
  const { ctx } = run;
  if (ctx.listening)
    ctx.emit({ type: 'warning', runId: ctx.runId, at: ctx.time.now(), stepId: run.step.id, message: safe });
}
