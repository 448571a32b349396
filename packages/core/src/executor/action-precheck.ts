import type { FailoverError } from '../errors/failover-error.js';
import type { FailoverErrorKind } from '../errors/failover-error-kind.js';
import type { CallOptions } from '../providers/call-options.js';
import { err, ok, type Result } from '../result.js';
import { callProvider } from './provider-call.js';
import type { StepRun } from './step-run.js';

/** The kinds a pre-check answers with when `ensure*` would refuse: what a dry-run reports as a refusal. */
export const refusalKinds: ReadonlySet<FailoverErrorKind> = new Set([
  'invalid-input',
  'precondition-failed',
  'unsupported',
]);

/** A refusal found by a provider's pre-check, as a dry-run diff shows it. */
export interface StepRefusalSummary {
  kind: FailoverErrorKind;
  message: string;
}

/**
 * Calls a provider's optional `precheck*` (read-only) after the step observed a
 * difference. Without a pre-check, ok. A refusal (`refusalKinds`) is an error in
 * a run (so `ensure*` is never called) and, in a dry-run, ok with the refusal to
 * show in the diff; any other error (throttling, an outage) is an error either way.
 */
export async function precheckAction(
  run: StepRun,
  provider: string,
  identity: string,
  operation: string,
  precheck: ((options: CallOptions) => PromiseLike<Result<void, FailoverError>>) | undefined,
): Promise<Result<StepRefusalSummary | undefined, FailoverError>> {
  if (!precheck) return ok(undefined);
  const checked = await callProvider(run, provider, identity, 'observe', operation, precheck);
  if (checked.isOk()) return ok(undefined);
  if (run.ctx.dryRun && refusalKinds.has(checked.error.kind)) {
    return ok({ kind: checked.error.kind, message: checked.error.message });
  }
  return err(checked.error);
}
