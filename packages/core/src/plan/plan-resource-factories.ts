import type { ResourceJson } from '../providers/resource/resource-json.js';
import {
  type ActionOptions,
  actionStep,
  definedOnly,
  type StepOptions,
  stepBase,
} from './plan-step-options.js';
import type { ProviderName } from './refs.js';
import type { ActionStep, CheckStep } from './step.js';

/** What a resource step makes true. Typed by the provider's own shapes when the author wants. */
export interface EnsureResourceFields<
  TRef extends object = ResourceJson,
  TDesired extends object = ResourceJson,
> {
  provider: ProviderName;
  /** Which resource, as the provider names it. Plain JSON. */
  resource: TRef;
  /** What must be true of it; fields left out stay as they are. Plain JSON. */
  desired: TDesired;
  /** The provider's wait condition (passed to `waitForResource` as `until`), e.g. `{ minReady: 3 }`. */
  waitUntil?: ResourceJson;
  /** Wait for the change to take effect before the step ends. Default true. */
  waitForCompletion?: boolean;
}

/** A condition on a resource that its provider evaluates by observing. */
export interface CheckResourceFields<
  TRef extends object = ResourceJson,
  TCondition extends object = ResourceJson,
> {
  provider: ProviderName;
  resource: TRef;
  /** What must hold, in the provider's terms. Plain JSON. */
  condition: TCondition;
}

/**
 * Steps on the open kind (`ResourceProviderV1`): anything the built-in kinds do not
 * cover. Provider packages usually wrap these in typed factories of their own.
 *
 * @example
 * resource.ensure('flags-dr', {
 *   provider: 'flags',
 *   resource: { flag: 'checkout-region' },
 *   desired: { value: 'eu-west-1' },
 * })
 * resource.check('backup-fresh', {
 *   provider: 'velero',
 *   resource: { namespace: 'velero', schedule: 'daily' },
 *   condition: { maxAgeMs: 3_600_000 },
 * })
 */
export const resource = {
  /** Makes the resource `desired` (observe, compare, ensure on a difference, wait). Reversible by default. */
  ensure: <TRef extends object = ResourceJson, TDesired extends object = ResourceJson>(
    id: string,
    fields: EnsureResourceFields<TRef, TDesired>,
    options?: ActionOptions,
  ): ActionStep =>
    actionStep(
      id,
      {
        type: 'resource',
        provider: fields.provider,
        resource: plainJson(fields.resource),
        desired: plainJson(fields.desired),
        waitUntil: fields.waitUntil === undefined ? undefined : plainJson(fields.waitUntil),
        waitForCompletion: fields.waitForCompletion,
      },
      options,
    ),

  /** A pre-flight check of a condition on the resource (pass the step's `check` to `verify` to poll it). */
  check: <TRef extends object = ResourceJson, TCondition extends object = ResourceJson>(
    id: string,
    fields: CheckResourceFields<TRef, TCondition>,
    options?: StepOptions,
  ): CheckStep => ({
    ...stepBase(id, options),
    kind: 'check',
    check: definedOnly({
      type: 'resource',
      provider: fields.provider,
      resource: plainJson(fields.resource),
      condition: plainJson(fields.condition),
    }),
  }),
};

/** A deep copy as plain JSON, so a plan never shares objects with its author. */
function plainJson(value: object): ResourceJson {
  return structuredClone(value) as ResourceJson;
}
