import type { FailoverError } from '../errors/failover-error.js';
import { toFailoverError } from '../errors/to-failover-error.js';
import type { ActionSpec } from '../plan/action-spec.js';
import type { ResourceJson } from '../providers/resource/resource-json.js';
import { err, ok, type Result } from '../result.js';
import { lookupProvider } from './lookup-provider.js';
import { callProvider } from './provider-call.js';
import { type CallScope, remainingMs } from './run-context.js';

type ResourceAction = Extract<ActionSpec, { type: 'resource' }>;

/**
 * Puts a resource back as it was observed before its step: `ensureResource` of the
 * provider's `restoreOf(before)` (default: `before` itself), then waits for it unless the
 * step does not wait (`waitForCompletion: false`). Idempotent like every ensure: an undo
 * retried after a lost answer finds the resource restored and changes nothing.
 */
export async function undoResource(
  scope: CallScope,
  spec: ResourceAction,
  before: ResourceJson,
): Promise<Result<void, FailoverError>> {
  const found = lookupProvider(scope.ctx.providers, spec.provider, 'resource');
  if (found.isErr()) return err(found.error);
  const provider = found.value;
  let desired: object;
  try {
    desired = provider.restoreOf ? provider.restoreOf(before) : before;
  } catch (thrown) {
    return err(toFailoverError(thrown, provider.provider, 'restoreOf'));
  }
  const ensured = await callProvider(
    scope,
    spec.provider,
    provider.provider,
    'mutate',
    'ensureResource',
    (o) => provider.ensureResource(spec.resource, desired, o),
  );
  if (ensured.isErr()) return err(ensured.error);
  const handle = ensured.value.handle;
  if (!handle || spec.waitForCompletion === false) return ok(undefined);
  const waited = await callProvider(scope, spec.provider, provider.provider, 'wait', 'waitForResource', (o) =>
    provider.waitForResource(handle, { ...o, timeoutMs: remainingMs(scope) }),
  );
  return waited.map(() => undefined);
}
