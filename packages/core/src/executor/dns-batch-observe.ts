import { FailoverError } from '../errors/failover-error.js';
import { cancelledError } from '../errors/to-failover-error.js';
import type { ActionStep } from '../plan/step.js';
import type { DnsObservation } from '../providers/dns/dns-batching.js';
import type { DnsProviderV1 } from '../providers/dns/dns-provider-v1.js';
import type { DnsRecordRef, DnsRecordSet } from '../providers/dns/dns-record-set.js';
import { err, ok, type Result } from '../result.js';
import { providerCounts } from './call-counts.js';
import type { DeadlineEntry, Expirable } from './deadline-watchdog.js';
import { batchScope } from './dns-batch-scope.js';
import { callProvider } from './provider-call.js';
import type { CallScope, RunContext } from './run-context.js';
import type { StepRun } from './step-run.js';
import { untilAborted } from './until-aborted.js';

type Observed = Result<DnsRecordSet, FailoverError>;

/**
 * Reads batched across steps, as the changes are: the DNS steps the scheduler starts in one
 * turn whose provider offers `batching.observeRecordSets` and share a `batchKey` ask for
 * their record sets, and once every member asked (or left: an attempt that ended, a
 * resumed wait) they are read in one call. A zone of 1,000 names is then one paginated
 * listing, not 1,000 reads against a budget of a few requests a second. A member that
 * never asks holds the others at most a quarter of the way to the first one's deadline.
 * A step alone, or retrying after its cohort read, calls `getRecordSet`.
 */
class DnsReadCohort implements Expirable {
  /** Members that have neither asked nor left. */
  private expected: number;
  private readonly reads: { run: StepRun; ref: DnsRecordRef; settle: (result: Observed) => void }[] = [];
  private sent = false;
  private window: DeadlineEntry | undefined;

  constructor(
    private readonly provider: string,
    private readonly dns: DnsProviderV1,
    members: number,
  ) {
    this.expected = members;
  }

  submit(run: StepRun, ref: DnsRecordRef): Promise<Observed> {
    if (this.sent) return readAlone(run, this.provider, this.dns, ref);
    if (this.reads.length === 0 && Number.isFinite(run.deadline)) {
      const now = run.ctx.time.now();
      this.window = run.ctx.watchDeadline(now + (run.deadline - now) / 4, this);
    }
    return new Promise<Observed>((settle) => {
      this.reads.push({ run, ref, settle });
      this.arrived();
    });
  }

  leave(): void {
    this.arrived();
  }

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
    const { reads, provider, dns } = this;
    if (reads.length === 0) return;
    if (reads.length === 1) {
      const [only] = reads;
      only!.settle(await readAlone(only!.run, provider, dns, only!.ref));
      return;
    }
    const { scope, release } = batchScope(reads.map((each) => each.run));
    // Every member made a read; the API requests are counted once, on the first.
    for (const { run } of reads.slice(1)) {
      run.calls.total.observe++;
      providerCounts(run.calls, provider).observe++;
    }
    const batched = await observeMany(
      scope,
      provider,
      dns,
      reads.map((each) => each.ref),
    );
    release();
    reads.forEach(({ settle }, index) => {
      settle(observationOf(batched, index, dns.provider));
    });
  }
}

function observeMany(
  scope: CallScope,
  provider: string,
  dns: DnsProviderV1,
  refs: readonly DnsRecordRef[],
): Promise<Result<DnsObservation[], FailoverError>> {
  return callProvider(scope, provider, dns.provider, 'observe', 'observeRecordSets', (o) =>
    dns.batching!.observeRecordSets!(refs, o),
  );
}

function observationOf(
  batched: Result<DnsObservation[], FailoverError>,
  index: number,
  identity: string,
): Observed {
  if (batched.isErr()) return err(batched.error);
  const observation = batched.value[index];
  if (!observation) {
    return err(
      new FailoverError({
        kind: 'unexpected',
        message: `${identity}.observeRecordSets returned ${batched.value.length} observations for more refs.`,
        provider: identity,
        operation: 'observeRecordSets',
      }),
    );
  }
  return observation.ok ? ok(observation.recordSet) : err(observation.error);
}

function readAlone(run: StepRun, provider: string, dns: DnsProviderV1, ref: DnsRecordRef): Promise<Observed> {
  return callProvider(run, provider, dns.provider, 'observe', 'getRecordSet', (o) =>
    dns.getRecordSet(ref, o),
  );
}

/** The open read cohorts of one run, by member step id. */
const cohorts = new WeakMap<RunContext, Map<string, DnsReadCohort>>();
/** Record sets read ahead for a run's steps (the pre-check pass), taken once each. */
const readAhead = new WeakMap<RunContext, Map<string, Observed>>();

/** Whether a DNS provider can read many record sets in one call. */
export const readsInBatches = (dns: DnsProviderV1): boolean =>
  typeof dns.batching?.observeRecordSets === 'function';

/** Opens one read cohort for the steps (ids) that share a provider and batch key. */
export function expectDnsReads(
  ctx: RunContext,
  provider: string,
  dns: DnsProviderV1,
  members: readonly string[],
): void {
  if (members.length < 2 || !readsInBatches(dns)) return;
  let open = cohorts.get(ctx);
  if (!open) {
    open = new Map();
    cohorts.set(ctx, open);
  }
  const cohort = new DnsReadCohort(provider, dns, members.length);
  for (const id of members) open.set(id, cohort);
}

/**
 * Reads ahead, in one `observeRecordSets` call per provider and batch key, the record sets
 * of DNS steps about to be observed together outside the scheduler (the pre-run pre-check
 * pass, which visits them a few at a time). Each step's `observeDnsRecordSet` then takes
 * its record set from here instead of reading it again.
 */
export async function readDnsAhead(
  ctx: RunContext,
  groups: Iterable<{ provider: string; dns: DnsProviderV1; steps: readonly ActionStep[] }>,
  scopeFor: (
    step: ActionStep,
    work: (scope: CallScope) => Promise<Result<DnsObservation[], FailoverError>>,
  ) => Promise<Result<DnsObservation[], FailoverError>>,
): Promise<void> {
  const reads: Promise<void>[] = [];
  for (const { provider, dns, steps } of groups) {
    if (steps.length < 2 || !readsInBatches(dns)) continue;
    const refs = steps.map((step) => (step.action as Extract<ActionStep['action'], { type: 'dns' }>).record);
    reads.push(
      scopeFor(steps[0]!, (scope) => observeMany(scope, provider, dns, refs)).then((batched) => {
        // A batch that failed as a whole leaves each step to read on its own.
        if (batched.isErr()) return;
        let ahead = readAhead.get(ctx);
        if (!ahead) {
          ahead = new Map();
          readAhead.set(ctx, ahead);
        }
        steps.forEach((step, index) => {
          ahead!.set(step.id, observationOf(batched, index, dns.provider));
        });
      }),
    );
  }
  await Promise.all(reads);
}

/**
 * `getRecordSet` for a DNS action: the record set read ahead for it, else through its
 * read cohort when it has one (one call for the steps ready with it), else directly.
 */
export function observeDnsRecordSet(
  run: StepRun,
  provider: string,
  dns: DnsProviderV1,
  ref: DnsRecordRef,
): Promise<Observed> {
  const ahead = readAhead.get(run.ctx);
  const read = ahead?.get(run.step.id);
  if (read) {
    ahead!.delete(run.step.id);
    return Promise.resolve(read);
  }
  const cohort = takeReadMembership(run);
  if (!cohort) return readAlone(run, provider, dns, ref);
  if (run.signal.aborted) {
    cohort.leave();
    return Promise.resolve(err(cancelledError('executor', 'getRecordSet')));
  }
  return untilAborted(cohort.submit(run, ref), run.signal).then(
    (result) => result ?? err(cancelledError('executor', 'getRecordSet', run.signal.reason)),
  );
}

/** Whether the step still belongs to an open read cohort. */
export const inDnsReadBatch = (run: StepRun): boolean => cohorts.get(run.ctx)?.has(run.step.id) ?? false;

/** The step will ask for no read (its attempt ended, or it only waits): its cohort stops waiting for it. */
export function leaveDnsReadBatch(run: StepRun): void {
  takeReadMembership(run)?.leave();
}

function takeReadMembership(run: StepRun): DnsReadCohort | undefined {
  const open = cohorts.get(run.ctx);
  const cohort = open?.get(run.step.id);
  if (cohort) open!.delete(run.step.id);
  return cohort;
}
