import { FailoverError } from '../errors/failover-error.js';
import type { LeafStep } from '../plan/compile-plan.js';
import type { ActionStep } from '../plan/step.js';
import type { DnsProviderV1 } from '../providers/dns/dns-provider-v1.js';
import { err, type Result } from '../result.js';
import { refusalKinds } from './action-precheck.js';
import { runDatabaseAction } from './database-action.js';
import { runDnsAction } from './dns-action.js';
import { readDnsAhead, readsInBatches } from './dns-batch-observe.js';
import type { ProviderRegistry } from './provider-registry.js';
import { runResourceAction } from './resource-action.js';
import type { RunContext } from './run-context.js';
import { runScaleAction } from './scale-action.js';
import { runScoped } from './scoped-work.js';
import type { StepDiff } from './step-diff.js';
import type { StepRun, StepValue } from './step-run.js';

/** A step that `ensure*` would refuse, as its provider's pre-check said before any mutating call. */
export interface StepRefusal {
  stepId: string;
  error: FailoverError;
}

/** Whether the provider bound to an action step has the read-only pre-check of its kind. */
export function hasPrecheck(step: LeafStep, providers: ProviderRegistry): step is ActionStep {
  if (step.kind !== 'action') return false;
  const provider = Object.hasOwn(providers, step.action.provider)
    ? providers[step.action.provider]
    : undefined;
  if (!provider) return false;
  switch (step.action.type) {
    case 'dns':
      return provider.kind === 'dns' && typeof provider.precheckRecordSet === 'function';
    case 'database':
      return provider.kind === 'database' && typeof provider.precheckWriter === 'function';
    case 'scale':
      return provider.kind === 'cluster' && typeof provider.precheckSize === 'function';
    case 'resource':
      return provider.kind === 'resource' && typeof provider.precheckResource === 'function';
    default:
      return false;
  }
}

/**
 * Before a run's first mutating call: observes every action step whose provider has a
 * pre-check, compares, and asks the pre-check, exactly as a dry-run does, and returns
 * every refusal with its step id. Only refusals count (`invalid-input`,
 * `precondition-failed`, `unsupported`); a throttled or failed read is left to the
 * step itself, which retries it.
 */
export async function precheckSteps(
  ctx: RunContext,
  steps: readonly LeafStep[],
  concurrency: number,
): Promise<StepRefusal[]> {
  const view: RunContext = { ...ctx, dryRun: true };
  const checked = steps.filter((step) => hasPrecheck(step, ctx.providers)) as ActionStep[];
  // The workers visit the steps a few at a time: read the record sets of each zone at once first.
  await readDnsAhead(view, dnsGroups(ctx, checked), (step, work) =>
    runScoped(view, step.id, step.timeoutMs ?? ctx.defaultTimeoutMs, work).then(({ result }) => result),
  );
  const refusals: Array<StepRefusal | undefined> = new Array(checked.length);
  let next = 0;
  const worker = async () => {
    while (next < checked.length && !ctx.signal.aborted) {
      const index = next++;
      const step = checked[index]!;
      const { result } = await runScoped(view, step.id, step.timeoutMs ?? ctx.defaultTimeoutMs, (scope) =>
        previewAction({ ...scope, step, progress: {}, finished: false }),
      );
      refusals[index] = refusalOf(step, result);
    }
  };
  const workers = Math.max(1, Math.min(concurrency, checked.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return refusals.filter((refusal): refusal is StepRefusal => refusal !== undefined);
}

/** The DNS action steps whose provider reads in batches, by provider and batch key. */
function dnsGroups(
  ctx: RunContext,
  steps: readonly ActionStep[],
): Array<{ provider: string; dns: DnsProviderV1; steps: ActionStep[] }> {
  const groups = new Map<string, { provider: string; dns: DnsProviderV1; steps: ActionStep[] }>();
  for (const step of steps) {
    if (step.action.type !== 'dns') continue;
    const name = step.action.provider;
    const dns = Object.hasOwn(ctx.providers, name) ? ctx.providers[name] : undefined;
    if (dns?.kind !== 'dns' || !readsInBatches(dns)) continue;
    let key: string;
    try {
      key = `${name}\u0000${dns.batching!.batchKey(step.action.record)}`;
    } catch {
      continue; // A provider that cannot key this ref: the step reads alone.
    }
    const group = groups.get(key) ?? { provider: name, dns, steps: [] };
    group.steps.push(step);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The refusals a dry-run's diffs show, in step order. */
export function refusalsOfDiffs(
  diffs: ReadonlyArray<{ stepId: string; diff?: StepDiff }>,
  providerOf: (stepId: string) => string,
): StepRefusal[] {
  const refusals: StepRefusal[] = [];
  for (const { stepId, diff } of diffs) {
    if (!diff || !('refused' in diff) || !diff.refused) continue;
    refusals.push({
      stepId,
      error: new FailoverError({
        kind: diff.refused.kind,
        message: diff.refused.message,
        provider: providerOf(stepId),
        operation: 'precheck',
      }),
    });
  }
  return refusals;
}

/** One error for the run, naming every refused step. */
export function refusalsError(refusals: readonly StepRefusal[]): FailoverError {
  const first = refusals[0]!;
  const listed = refusals.map((refusal) => `${refusal.stepId}: ${refusal.error.message}`).join(' ');
  const count = refusals.length === 1 ? '1 step' : `${refusals.length} steps`;
  return new FailoverError({
    kind: first.error.kind,
    message: `The providers' pre-checks refuse ${count}; nothing was changed. ${listed}`,
    provider: 'executor',
    operation: 'precheck',
  });
}

function previewAction(run: StepRun): Promise<Result<StepValue, FailoverError>> {
  const step = run.step as ActionStep;
  switch (step.action.type) {
    case 'dns':
      return runDnsAction(run, step.action);
    case 'database':
      return runDatabaseAction(run, step.action);
    case 'scale':
      return runScaleAction(run, step.action);
    case 'resource':
      return runResourceAction(run, step.action);
    default:
      return Promise.resolve(
        err(
          new FailoverError({
            kind: 'unsupported',
            message: 'Unknown action.',
            provider: 'executor',
            operation: 'precheck',
          }),
        ),
      );
  }
}

function refusalOf(step: ActionStep, result: Result<StepValue, FailoverError>): StepRefusal | undefined {
  if (result.isErr()) {
    return refusalKinds.has(result.error.kind) ? { stepId: step.id, error: result.error } : undefined;
  }
  const diff = result.value.diff;
  if (!diff || !('refused' in diff) || !diff.refused) return undefined;
  return {
    stepId: step.id,
    error: new FailoverError({
      kind: diff.refused.kind,
      message: diff.refused.message,
      provider: step.action.provider,
      operation: 'precheck',
    }),
  };
}
