import type { OperationHandle } from '../providers/operation-handle.js';
import type { StepRun } from './step-run.js';

/** Tells subscribers the step now waits on a started change. */
export function emitStepWait(run: StepRun, handle: OperationHandle): void {
  const { ctx } = run;
  if (ctx.listening) {
    ctx.emit({ type: 'step-wait', runId: ctx.runId, at: ctx.time.now(), stepId: run.step.id, handle });
  }
}
