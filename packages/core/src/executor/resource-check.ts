import { FailoverError } from '../errors/failover-error.js';
import type { CheckSpec } from '../plan/check-spec.js';
import { err, ok, type Result } from '../result.js';
import type { CheckObservation } from './evaluate-check.js';
import { lookupProvider } from './lookup-provider.js';
import { callProvider } from './provider-call.js';
import type { CallScope } from './run-context.js';

type ResourceCheck = Extract<CheckSpec, { type: 'resource' }>;

/**
 * A `check.resource` condition, evaluated by its provider's `checkResource` (read-only,
 * counted as an observation). The plan's RPO is passed along for conditions that use it.
 */
export async function evaluateResourceCheck(
  scope: CallScope,
  check: ResourceCheck,
): Promise<Result<CheckObservation, FailoverError>> {
  const found = lookupProvider(scope.ctx.providers, check.provider, 'resource');
  if (found.isErr()) return err(found.error);
  const provider = found.value;
  const rpoMs = scope.ctx.rpoMs;
  if (!provider.checkResource) {
    return err(
      new FailoverError({
        kind: 'unsupported',
        message: `${provider.provider} has no checkResource method, so it cannot evaluate a resource check.`,
        provider: provider.provider,
        operation: 'checkResource',
      }),
    );
  }
  const observed = await callProvider(
    scope,
    check.provider,
    provider.provider,
    'observe',
    'checkResource',
    (o) =>
      provider.checkResource!(check.resource, check.condition, {
        ...o,
        ...(rpoMs !== undefined && { rpoMs }),
      }),
  );
  if (observed.isErr()) return err(observed.error);
  const { passed, actual, expected, summary } = observed.value;
  return ok({ passed: passed === true, actual, expected, summary: String(summary) });
}
