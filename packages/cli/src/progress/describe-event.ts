import type { ExecutorEvent, SerializedFailoverError } from '@failover/core';
import { formatDuration } from '@failover/core';
import type { Colors } from '../cli-colors.js';

/**
 * One line for an event, or undefined for events the line log leaves out.
 * Shared by the plain log and the live view's scrolling part.
 */
export function describeEvent(event: ExecutorEvent, colors: Colors): string | undefined {
  switch (event.type) {
    case 'plan-start':
      return `${colors.bold(event.dryRun ? 'dry-run' : 'run')} ${event.planName} (${event.planId}): ${event.steps} steps, run ${event.runId}${event.resumes ? `, resuming run ${event.resumes}` : ''}`;
    case 'step-start':
      return `${colors.cyan('start')}    ${event.stepId} (${event.kind})${event.resumed ? ' resumed' : ''}`;
    case 'step-retry':
      return `${colors.yellow('retry')}    ${event.stepId}: attempt ${event.attempt} in ${formatDuration(event.delayMs)} after ${errorText(event.error)}`;
    case 'step-wait':
      return `${colors.dim('wait')}     ${event.stepId}: ${event.handle.provider} ${event.handle.operation}${event.handle.id ? ` ${event.handle.id}` : ''}`;
    case 'step-end': {
      const attempts = event.attempts > 1 ? `, ${event.attempts} attempts` : '';
      const changed = event.changed ? ', changed' : '';
      if (event.status === 'succeeded') {
        return `${colors.green('ok')}       ${event.stepId} in ${formatDuration(event.durationMs)}${changed}${attempts}`;
      }
      const label = event.status === 'cancelled' ? colors.yellow('cancelled') : colors.red('FAILED');
      return `${label}   ${event.stepId} after ${formatDuration(event.durationMs)}${attempts}${event.error ? `: ${errorText(event.error)}` : ''}`;
    }
    case 'step-skipped':
      return `${colors.dim('skip')}     ${event.stepId} (${event.reason === 'completed-earlier' ? 'completed in an earlier run' : 'run stopped'})`;
    case 'approval-request':
      // Under the question, aligned with it: what each forced promotion it gates may lose.
      return `${colors.yellow('approval')} ${event.stepId}: ${event.message}${(event.dataLoss ?? []).map((entry) => `\n${' '.repeat(19)}${entry.summary}`).join('')}`;
    case 'approval-decision':
      return event.approved
        ? `${colors.green('approved')} ${event.stepId}${event.by ? ` by ${event.by}` : ''}`
        : `${colors.red('denied')}   ${event.stepId}${event.reason ? `: ${event.reason}` : ''}`;
    case 'rollback-start':
      return `${colors.yellow('rollback')} of ${event.stepIds.length === 0 ? 'nothing' : event.stepIds.join(', ')}`;
    case 'rollback-step':
      return `${colors.yellow('undo')}     ${event.stepId}: ${event.status}${event.error ? ` (${errorText(event.error)})` : ''}`;
    case 'rollback-end':
      return `${colors.yellow('rollback')} ${event.status}`;
    case 'plan-end': {
      const status =
        event.status === 'succeeded'
          ? colors.green(event.status)
          : event.status === 'cancelled'
            ? colors.yellow(event.status)
            : colors.red(event.status);
      return `${colors.bold('end')}      ${status} in ${formatDuration(event.durationMs)}${event.error ? `: ${errorText(event.error)}` : ''}`;
    }
    case 'warning':
      return `${colors.yellow('warning')}  ${event.stepId ? `${event.stepId}: ` : ''}${event.message}`;
    default:
      return undefined;
  }
}

export function errorText(error: SerializedFailoverError): string {
  return `${error.kind}: ${error.message}`;
}
