import { FailoverError } from '../errors/failover-error.js';
import { err, type Result } from '../result.js';
import { runApprovalStep } from './approval-step.js';
import { runCheckStep } from './check-step.js';
import { runDatabaseAction } from './database-action.js';
import { runDnsAction } from './dns-action.js';
import { withinDnsBatch } from './dns-batch.js';
import { runNotifyStep } from './notify-step.js';
import { runResourceAction } from './resource-action.js';
import { runScaleAction } from './scale-action.js';
import type { StepRun, StepValue } from './step-run.js';
import { runVerifyStep } from './verify-step.js';
import { runWaitStep } from './wait-step.js';

/** One attempt at a step, by kind. Never throws: every failure is a value. */
export function runStepBody(run: StepRun): Promise<Result<StepValue, FailoverError>> {
  const { step } = run;
  switch (step.kind) {
    case 'check':
      return runCheckStep(run, step);
    case 'action':
      switch (step.action.type) {
        case 'dns': {
          const spec = step.action;
          return withinDnsBatch(run, () => runDnsAction(run, spec));
        }
        case 'database':
          return runDatabaseAction(run, step.action);
        case 'scale':
          return runScaleAction(run, step.action);
        case 'resource':
          return runResourceAction(run, step.action);
        default:
          return unknown(`action type "${(step.action as { type?: unknown }).type}"`, 'action.type');
      }
    case 'approval':
      return runApprovalStep(run, step);
    case 'verify':
      return runVerifyStep(run, step);
    case 'wait':
      return runWaitStep(run, step);
    case 'notify':
      return runNotifyStep(run, step);
    default:
      return unknown(`step kind "${(step as { kind?: unknown }).kind}"`, 'kind');
  }
}

async function unknown(what: string, path: string): Promise<Result<StepValue, FailoverError>> {
  return err(
    new FailoverError({
      kind: 'invalid-input',
      message: `The executor does not know the ${what}.`,
      provider: 'executor',
      operation: 'runStep',
      path,
    }),
  );
}
