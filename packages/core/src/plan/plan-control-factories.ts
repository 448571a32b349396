import type { NotificationStage } from '../notify/notification-stage.js';
import type { CheckSpec } from './check-spec.js';
import { definedOnly, type StepOptions, stepBase } from './plan-step-options.js';
import type {
  ApprovalStep,
  CheckStep,
  GroupStep,
  NotifyStep,
  PlanStep,
  VerifyStep,
  WaitStep,
} from './step.js';

/**
 * A human gate: the run waits for the injected approver; no answer within
 * `timeoutMs` is a denial.
 *
 * @example
 * approval('approve-forced', 'Promote orders in eu-central-1 with possible data loss?', { timeoutMs: 15 * 60_000 })
 */
export function approval(
  id: string,
  message: string,
  options: Omit<StepOptions, 'timeoutMs'> & { timeoutMs: number },
): ApprovalStep {
  return { ...stepBase(id, options), kind: 'approval', message, timeoutMs: options.timeoutMs };
}

/**
 * Polls a condition until it holds, failing at `timeoutMs`. Takes a check spec,
 * or a `check.*` step (whose id is then ignored).
 *
 * @example
 * verify('dns-switched', { type: 'dns-active-target', provider: 'dns', record, target: 'secondary' }, { timeoutMs: 300_000 })
 * verify('pool-up', check.poolReady('_', { provider: 'k8s', pool, minReady: 6 }), { timeoutMs: 600_000, intervalMs: 15_000 })
 */
export function verify(
  id: string,
  condition: CheckSpec | CheckStep,
  options: Omit<StepOptions, 'timeoutMs'> & { timeoutMs: number; intervalMs?: number; holdForMs?: number },
): VerifyStep {
  const spec = 'kind' in condition ? condition.check : condition;
  return {
    ...stepBase(id, options),
    kind: 'verify',
    check: definedOnly(structuredClone(spec)),
    timeoutMs: options.timeoutMs,
    ...definedOnly({ intervalMs: options.intervalMs, holdForMs: options.holdForMs }),
  };
}

/**
 * Holds for a fixed time, e.g. a soak period between failback stages.
 *
 * @example
 * wait('soak-10', 10 * 60_000, { dependsOn: ['failback-10'] })
 */
export function wait(id: string, durationMs: number, options?: StepOptions): WaitStep {
  return { ...stepBase(id, options), kind: 'wait', durationMs };
}

/**
 * Sends a message through the notifier bound at run time (a plan whose channel
 * no notifier delivers to is invalid). A failed delivery never fails the plan.
 * With `stage`, the message is that stage's template filled from the run (the
 * achieved RTO, the regions), `message` being its first line.
 *
 * @example
 * notify('tell-incident', 'slack:#incidents', 'Traffic is on eu-central-1.', {
 *   dependsOn: ['verify-dns'],
 *   stage: 'failover-completed',
 * })
 */
export function notify(
  id: string,
  channel: string,
  message: string,
  options?: StepOptions & { stage?: NotificationStage },
): NotifyStep {
  const { stage, ...rest } = options ?? {};
  return { ...stepBase(id, rest), kind: 'notify', channel, message, ...(stage && { stage }) };
}

/**
 * Steps that run one after another; a group inside counts as done when all
 * of its steps are.
 *
 * @example
 * sequential('scale-up', [scale.pool('nodes', {...}), verify('nodes-ready', {...}, { timeoutMs: 600_000 })])
 */
export function sequential(id: string, steps: PlanStep[], options?: StepOptions): GroupStep {
  return { ...stepBase(id, options), kind: 'group', mode: 'sequential', steps: [...steps] };
}

/**
 * Steps with no order between them (each may still have its own `dependsOn`).
 *
 * @example
 * parallel('preflight', [check.replicationLag('lag', {...}), check.dnsTtl('ttl', {...})])
 */
export function parallel(id: string, steps: PlanStep[], options?: StepOptions): GroupStep {
  return { ...stepBase(id, options), kind: 'group', mode: 'parallel', steps: [...steps] };
}
