import type { JournalRunStatus, RunResult } from '@failover/core';
import { type ExitCode, exitCodes } from './cli-exit-codes.js';

/**
 * The exit code of a finished run. An approval that was denied wins over the
 * run's status: what the operator has to do next is approve, whether or not
 * the changes before it were rolled back.
 */
export function exitCodeOfRun(result: RunResult): ExitCode {
  if (result.status === 'succeeded') return exitCodes.success;
  if (result.status === 'cancelled') return exitCodes.cancelled;
  const denied = result.steps.some((step) => step.kind === 'approval' && step.status === 'failed');
  if (denied) return exitCodes.needsApproval;
  return result.status === 'rolled-back' ? exitCodes.rolledBack : exitCodes.failed;
}

/**
 * The exit code of `--resume` of a run that already finished: nothing runs, and
 * the command exits as that run did, so a script that resumes after a crash
 * still sees a failure it missed.
 */
export function exitCodeOfRecordedRun(status: JournalRunStatus): ExitCode {
  if (status === 'succeeded') return exitCodes.success;
  if (status === 'rolled-back') return exitCodes.rolledBack;
  if (status === 'cancelled') return exitCodes.cancelled;
  return exitCodes.failed;
}
