import type { ActionSpec } from './action-spec.js';
import type { ActionStep, RetryPolicy } from './step.js';

/** What every step factory accepts besides its own fields. */
export interface StepOptions {
  /** Human label for the report. Default: the id. */
  name?: string;
  /** Ids of steps or groups that must succeed first. */
  dependsOn?: string[];
  /** Whole-step deadline, all attempts and waits included. */
  timeoutMs?: number;
  retry?: RetryPolicy;
}

/** Options of an action step. */
export interface ActionOptions extends StepOptions {
  /** Undo on a later failure by restoring what was observed. Defaults: dns and scale true, database false. */
  reversible?: boolean;
  /** Marks a fencing step (takes traffic or writes away from the old primary). */
  fence?: boolean;
  /** Counts towards achieved RTO. Default: dns actions. */
  traffic?: boolean;
  /** `'never'`: a later failure never undoes this step, and rollback keeps what it depends on. */
  rollback?: 'never';
}

/** The common fields of a step, without the ones left undefined, so steps stay plain JSON. */
export function stepBase(id: string, options: StepOptions = {}) {
  return definedOnly({
    id,
    name: options.name,
    dependsOn: options.dependsOn ? [...options.dependsOn] : undefined,
    timeoutMs: options.timeoutMs,
    retry: options.retry ? { ...options.retry } : undefined,
  }) as { id: string; name?: string; dependsOn?: string[]; timeoutMs?: number; retry?: RetryPolicy };
}

/** An action step from its spec and options. */
export function actionStep(id: string, action: ActionSpec, options: ActionOptions = {}): ActionStep {
  return {
    ...stepBase(id, options),
    kind: 'action',
    action: definedOnly(action) as ActionSpec,
    ...definedOnly({
      reversible: options.reversible,
      fence: options.fence,
      traffic: options.traffic,
      rollback: options.rollback,
    }),
  };
}

/** A copy of `value` without its undefined fields (JSON would drop them anyway). */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
