import { FailoverError } from '../errors/failover-error.js';
import { toFailoverError } from '../errors/to-failover-error.js';
import type { ActionSpec } from '../plan/action-spec.js';
import type { EnsureResult } from '../providers/operation-handle.js';
import type { ResourceJson } from '../providers/resource/resource-json.js';
import { type ResourceDifference, resourceDifferences } from '../providers/resource/resource-matches.js';
import type { AnyResourceProviderV1 } from '../providers/resource/resource-provider-v1.js';
import { err, type FailoverResult, ok, type Result } from '../result.js';
import { precheckAction } from './action-precheck.js';
import { emitStepWait } from './emit-step-wait.js';
import { lookupProvider } from './lookup-provider.js';
import { forgetGoneOperation } from './operation-gone.js';
import { callProvider } from './provider-call.js';
import { remainingMs } from './run-context.js';
import { actionValue, journaledEnsure } from './step-journal.js';
import type { StepRun, StepValue } from './step-run.js';

type ResourceAction = Extract<ActionSpec, { type: 'resource' }>;

/**
 * The open kind's action, the same path as the built-in kinds: `observeResource`,
 * compare (the provider's `matches`, else `resourceMatches`); on a difference the
 * optional `precheckResource`, then (not in a dry-run) `ensureResource`, journaled,
 * and `waitForResource` unless `waitForCompletion` is false.
 */
export async function runResourceAction(
  run: StepRun,
  spec: ResourceAction,
): Promise<Result<StepValue, FailoverError>> {
  const found = lookupProvider(run.ctx.providers, spec.provider, 'resource');
  if (found.isErr()) return err(found.error);
  const provider = found.value;

  if (!run.progress.ensured) {
    const observed = await callProvider(
      run,
      spec.provider,
      provider.provider,
      'observe',
      'observeResource',
      (o) => provider.observeResource(spec.resource, o),
    );
    if (observed.isErr()) return err(observed.error);
    // The journal keeps it as the state to restore: it must be a JSON object.
    if (typeof observed.value !== 'object' || observed.value === null || Array.isArray(observed.value)) {
      return err(
        new FailoverError({
          kind: 'unexpected',
          message: `${provider.provider}.observeResource returned something that is not a JSON object.`,
          provider: provider.provider,
          operation: 'observeResource',
        }),
      );
    }
    const compared = compareResource(provider, spec.desired, observed.value);
    if (compared.isErr()) return err(compared.error);
    const { differs, differences } = compared.value;

    const refused = differs
      ? await precheckAction(
          run,
          spec.provider,
          provider.provider,
          'precheckResource',
          provider.precheckResource &&
            ((o) => provider.precheckResource!(spec.resource, spec.desired, observed.value, o)),
        )
      : ok(undefined);
    if (refused.isErr()) return err(refused.error);
    if (run.ctx.dryRun) {
      return ok({
        changed: false,
        diff: {
          type: 'resource',
          wouldChange: differs,
          differences,
          ...(refused.value && { refused: refused.value }),
        },
      });
    }
    if (!differs) return ok(actionValue(run));

    const journaled = await journaledEnsure(run, 'ensureResource', observed.value as ResourceJson, () =>
      callProvider(
        run,
        spec.provider,
        provider.provider,
        'mutate',
        'ensureResource',
        (o) =>
          // The executor treats what the provider observed as JSON (the plan's own shapes are JSON).
          provider.ensureResource(spec.resource, spec.desired, o) as FailoverResult<
            EnsureResult<ResourceJson>
          >,
      ),
    );
    if (journaled.isErr()) return err(journaled.error);
  }

  const handle = run.progress.ensured?.handle;
  if (handle && spec.waitForCompletion !== false) {
    emitStepWait(run, handle);
    const waited = await callProvider(run, spec.provider, provider.provider, 'wait', 'waitForResource', (o) =>
      provider.waitForResource(handle, {
        ...o,
        timeoutMs: remainingMs(run),
        ...(spec.waitUntil !== undefined && { until: spec.waitUntil }),
      }),
    );
    if (waited.isErr()) return err(forgetGoneOperation(run, waited.error));
  }
  return ok(actionValue(run));
}

/**
 * Whether the resource differs from `desired`, by the provider's `matches` when it has
 * one (it decides), and the differing fields for the dry-run diff: the provider's
 * `differences` when it has them, else the fields of `desired` that differ. A difference
 * no field shows is one whole-state difference. A provider hook that throws is `unexpected`.
 */
export function compareResource(
  provider: AnyResourceProviderV1,
  desired: ResourceJson,
  observed: object,
): Result<{ differs: boolean; differences: ResourceDifference[] }, FailoverError> {
  let differs: boolean;
  let differences: ResourceDifference[];
  let hook = 'matches';
  try {
    differs = provider.matches
      ? !provider.matches(desired, observed)
      : resourceDifferences(desired, observed).length > 0;
    if (!differs) return ok({ differs, differences: [] });
    hook = 'differences';
    differences = provider.differences
      ? provider.differences(desired, observed)
      : resourceDifferences(desired, observed);
  } catch (thrown) {
    return err(toFailoverError(thrown, provider.provider, hook));
  }
  if (!Array.isArray(differences) || differences.length === 0) {
    differences = [{ path: '', from: observed, to: desired }];
  }
  return ok({ differs, differences });
}
