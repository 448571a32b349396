import { FailoverError } from '../errors/failover-error.js';
import { cancelledError } from '../errors/to-failover-error.js';
import type { ActionSpec } from '../plan/action-spec.js';
import type { LeafStep } from '../plan/compile-plan.js';
import type { DnsChange, DnsChangeOutcome } from '../providers/dns/dns-batching.js';
import type { DnsProviderV1 } from '../providers/dns/dns-provider-v1.js';
import type { DnsRecordRef, DnsRecordSet } from '../providers/dns/dns-record-set.js';
import type { EnsureResult } from '../providers/operation-handle.js';
import { err, ok, type Result } from '../result.js';
import { offAbort, onAbort } from '../time/abort-fan-out.js';
import { providerCounts } from './call-counts.js';
import type { DeadlineEntry, Expirable } from './deadline-watchdog.js';
import { expectDnsReads, inDnsReadBatch, leaveDnsReadBatch } from './dns-batch-observe.js';
import { batchScope } from './dns-batch-scope.js';
import { callProvider } from './provider-call.js';
import type { RunContext } from './run-context.js';
import type { StepRun } from './step-run.js';
import { untilAborted } from './until-aborted.js';

type DnsAction = Extract<ActionSpec, { type: 'dns' }>;
type Ensured = Result<EnsureResult<DnsRecordSet | null>, FailoverError>;

/**
 * Batching across steps, as external-dns does: the DNS steps the scheduler starts in one
 * turn whose providers expose `batching` and share a `batchKey` form a cohort. Each member
 * observes, pre-checks and journals its intent on its own; its change then waits for the
 * rest of the cohort, and the cohort's changes go out in one `ensureRecordSets` call once
 * every member has either handed in a change or left (nothing to change, an error, a
 * dry-run, a resumed wait). So the grouping does not depend on timing, only on what was
 * ready together, except that a member that never arrives holds the others at most a
 * quarter of the way to their deadline. A step alone, or retrying after its cohort
 * went, calls `ensureRecordSet`.
 */
class DnsCohort implements Expirable {
  /** Members that have neither handed in a change nor left. */
  private expected: number;
  private readonly changes: { run: StepRun; change: DnsChange; settle: (result: Ensured) => void }[] = [];
  private sent = false;
  private window: DeadlineEntry | undefined;

  constructor(
    private readonly provider: string,
    private readonly dns: DnsProviderV1,
    members: number,
  ) {
    this.expected = members;
  }

  submit(run: StepRun, change: DnsChange): Promise<Ensured> {
    // Too late for the batch (it went out without this member): alone.
    if (this.sent) return ensureAlone(run, this.provider, this.dns, change);
    if (this.changes.length === 0 && Number.isFinite(run.deadline)) {
      // A member that never arrives (a read that hangs) must not hold the others to their
      // deadlines: the batch goes out at the latest a quarter of the way to the first one's.
      const now = run.ctx.time.now();
      this.window = run.ctx.watchDeadline(now + (run.deadline - now) / 4, this);
    }
    return new Promise<Ensured>((settle) => {
      this.changes.push({ run, change, settle });
      this.arrived();
    });
  }

  leave(): void {
    this.arrived();
  }

  /** The window passed: send what was handed in; later members go alone. */
  expire(): void {
    this.flush();
  }

  private arrived(): void {
    if (--this.expected <= 0) this.flush();
  }

  private flush(): void {
    if (this.sent) return;
    this.sent = true;
    if (this.window) this.window.cancelled = true;
    void this.send();
  }

  private async send(): Promise<void> {
    const { changes, provider, dns } = this;
    if (changes.length === 0) return;
    if (changes.length === 1) {
      const [only] = changes;
      only!.settle(await ensureAlone(only!.run, provider, dns, only!.change));
      return;
    }
    const { scope, release } = batchScope(changes.map((each) => each.run));
    // Every member made a mutating provider call; the API requests are counted once, on the first.
    for (const { run } of changes.slice(1)) {
      run.calls.total.mutate++;
      providerCounts(run.calls, provider).mutate++;
    }
    const batched = await callProvider(scope, provider, dns.provider, 'mutate', 'ensureRecordSets', (o) =>
      dns.batching!.ensureRecordSets(
        changes.map((each) => each.change),
        o,
      ),
    );
    release();
    changes.forEach(({ settle }, index) => {
      settle(outcomeOf(batched, index, dns.provider));
    });
  }
}

function outcomeOf(
  batched: Result<DnsChangeOutcome[], FailoverError>,
  index: number,
  identity: string,
): Ensured {
  if (batched.isErr()) return err(batched.error);
  const outcome = batched.value[index];
  if (!outcome) {
    return err(
      new FailoverError({
        kind: 'unexpected',
        message: `${identity}.ensureRecordSets returned ${batched.value.length} outcomes for more changes.`,
        provider: identity,
        operation: 'ensureRecordSets',
      }),
    );
  }
  return outcome.ok ? ok(outcome.result) : err(outcome.error);
}

function ensureAlone(
  run: StepRun,
  provider: string,
  dns: DnsProviderV1,
  change: DnsChange,
): Promise<Ensured> {
  return callProvider(run, provider, dns.provider, 'mutate', 'ensureRecordSet', (o) =>
    dns.ensureRecordSet(change.ref, change.desired, o),
  );
}

/** The open cohorts of one run, by member step id. */
const cohorts = new WeakMap<RunContext, Map<string, DnsCohort>>();

/**
 * Called by the scheduler with the steps it starts in one turn, before any of them runs:
 * groups their batchable DNS actions by provider and batch key, for one read (when the
 * provider reads in batches) and one change call per group. Dry-runs batch only the
 * reads (they make no mutating call).
 */
export function expectDnsBatches(ctx: RunContext, steps: Iterable<LeafStep>): void {
  let groups: Map<string, { members: string[]; provider: string; dns: DnsProviderV1 }> | undefined;
  for (const step of steps) {
    if (step.kind !== 'action' || step.action.type !== 'dns') continue;
    const spec = step.action;
    const dns = Object.hasOwn(ctx.providers, spec.provider) ? ctx.providers[spec.provider] : undefined;
    if (dns?.kind !== 'dns' || !dns.batching) continue;
    let key: string;
    try {
      key = `${spec.provider}\u0000${dns.batching.batchKey(spec.record)}`;
    } catch {
      continue; // A provider that cannot key this ref: the step runs alone.
    }
    groups ??= new Map();
    let group = groups.get(key);
    if (!group) {
      group = { members: [], provider: spec.provider, dns };
      groups.set(key, group);
    }
    group.members.push(step.id);
  }
  if (!groups) return;
  let open = cohorts.get(ctx);
  for (const { members, provider, dns } of groups.values()) {
    if (members.length < 2) continue;
    expectDnsReads(ctx, provider, dns, members);
    if (ctx.dryRun) continue;
    if (!open) {
      open = new Map();
      cohorts.set(ctx, open);
    }
    const cohort = new DnsCohort(provider, dns, members.length);
    for (const id of members) open.set(id, cohort);
  }
}

/**
 * `ensureRecordSet` for a DNS action: through its cohort's batch when it has one (the
 * step's change then goes out with those of the steps ready with it), else directly.
 */
export function ensureDnsRecordSet(
  run: StepRun,
  spec: DnsAction,
  dns: DnsProviderV1,
  ref: DnsRecordRef,
  desired: DnsRecordSet,
): Promise<Ensured> {
  const cohort = takeMembership(run);
  if (!cohort) return ensureAlone(run, spec.provider, dns, { ref, desired });
  if (run.signal.aborted) {
    cohort.leave();
    return Promise.resolve(err(cancelledError('executor', 'ensureRecordSet')));
  }
  return untilAborted(cohort.submit(run, { ref, desired }), run.signal).then(
    (result) => result ?? err(cancelledError('executor', 'ensureRecordSet', run.signal.reason)),
  );
}

/**
 * Runs one attempt of a DNS action; when it ends, or its step stops, without having
 * asked for its read or handed in a change, its cohorts stop waiting for it.
 */
export function withinDnsBatch<T>(run: StepRun, attempt: () => Promise<T>): Promise<T> {
  if (!cohorts.get(run.ctx)?.has(run.step.id) && !inDnsReadBatch(run)) return attempt();
  const leave = () => leaveDnsBatch(run);
  onAbort(run.signal, leave);
  return attempt().finally(() => {
    offAbort(run.signal, leave);
    leave();
  });
}

/**
 * The step will hand in no change (this attempt ended, or it only waits on a journaled
 * handle): its cohort stops waiting for it. Idempotent.
 */
export function leaveDnsBatch(run: StepRun): void {
  leaveDnsReadBatch(run);
  takeMembership(run)?.leave();
}

function takeMembership(run: StepRun): DnsCohort | undefined {
  const open = cohorts.get(run.ctx);
  const cohort = open?.get(run.step.id);
  if (cohort) open!.delete(run.step.id);
  return cohort;
}
