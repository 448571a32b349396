import { FailoverError } from '../errors/failover-error.js';
import type { ObservedState } from '../journal/journal-entry.js';
import type { ActionSpec } from '../plan/action-spec.js';
import type { CheckSpec } from '../plan/check-spec.js';
import type { FailoverPlan } from '../plan/failover-plan.js';
import type { ActionStep, PlanStep } from '../plan/step.js';
import type { NodePool } from '../providers/cluster/node-pool.js';
import { hasDatabaseReprotect } from '../providers/database/database-reprotect-v1.js';
import { type DatabaseTopology, writerRegion } from '../providers/database/database-topology.js';
import type { DnsDesiredState, DnsTargetPatch } from '../providers/dns/dns-desired-state.js';
import type { DnsRecordSet, DnsTarget } from '../providers/dns/dns-record-set.js';
import { trafficShares } from '../providers/dns/dns-traffic-shares.js';
import { resolveDnsDesiredState } from '../providers/dns/resolve-dns-desired-state.js';
import { err, ok, type Result } from '../result.js';
import { stageShares } from './canary-shares.js';
import { type FailoverChanges, failoverChanges } from './failback-changes.js';
import { type FailbackOptions, failbackDefaults, type ReprotectOptions } from './failback-options.js';

/** What `failbackPlan` returns. */
export interface GeneratedFailback {
  /**
   * Gates, reprotect and switch-back of each database, then the canary stages. A
   * failed soak check fails the run, and rollback restores every DNS step it had
   * changed: all traffic back in the DR region.
   */
  plan: FailoverPlan;
  /**
   * Scale-down of the DR capacity behind its own approval, run once the failback
   * has succeeded. A separate plan, so that a denied or failed scale-down never
   * rolls the traffic back.
   */
  cleanup?: FailoverPlan;
  /**
   * Reprotect, run before `plan`: per database whose forced promotion broke replication
   * (and whose replica `reprotect` names), an action step that re-creates the replica in
   * the original region, with its wait. A separate plan because the switch-back's
   * pre-check needs that replica to exist before the failback starts (the executor
   * pre-checks every step before its first change), and because a failback that aborts
   * must keep it: the DR region stays protected.
   */
  reprotect?: FailoverPlan;
  /** What could not be reversed, and why (no journal, a record set the failover created). */
  notes: string[];
}

type DnsAction = Extract<ActionSpec, { type: 'dns' }>;
type DatabaseAction = Extract<ActionSpec, { type: 'database' }>;
type ScaleAction = Extract<ActionSpec, { type: 'scale' }>;

/** One DNS record set the failover touched, and how to put it back. */
interface RecordReversal {
  /** The first failover step that changed it. */
  stepId: string;
  action: DnsAction;
  /** The exact original state (journal), when known. */
  restore: DnsDesiredState;
  /** Shares of the DR state and of the original, for a weighted record (canary stages). */
  weighted?: { dr: Record<string, number>; original: Record<string, number> };
}

const invalid = (message: string) =>
  new FailoverError({ kind: 'invalid-input', message, provider: 'core', operation: 'failbackPlan' });

/**
 * The failback of a failover plan, generated from the plan and, when given, the
 * journal of the run that executed it. In order, as the ADR has it (not urgent,
 * data first, traffic gradually, a way to abort):
 *
 * 1. gates: the DR region stable for `stableForMs`, then the reconciliation checks;
 * 2. per database the failover moved: reprotect (wait until the original region
 *    replicates again within `maxLagMs`), a planned switchover back, a verify; where a
 *    forced promotion broke replication and `reprotect` names the replica, the
 *    separate `reprotect` plan re-creates it first;
 * 3. canary stages (`canaryPercents`, default 10, 50, 100): each weighted record set
 *    gets that share back in the original region, then a soak and the canary checks;
 *    a stage the traffic has already reached changes nothing (`advanceTowards`: never
 *    back), so the plan can be run again; other record sets (failover, priority
 *    routing) go back whole in the last stage;
 * 4. `cleanup`: an approval, then every pool the failover scaled back to its size before.
 *
 * Pure: the same plan, journal and options give the same plans.
 */
export function failbackPlan(
  failover: FailoverPlan,
  options: FailbackOptions = {},
): Result<GeneratedFailback, FailoverError> {
  const percents = options.canaryPercents ?? [...failbackDefaults.canaryPercents];
  if (
    percents.length === 0 ||
    percents.at(-1) !== 100 ||
    percents.some((p, i) => !Number.isInteger(p) || p <= 0 || p > 100 || (i > 0 && p <= percents[i - 1]!))
  )
    return err(invalid('canaryPercents must be whole, rising percentages ending with 100.'));

  const notes: string[] = [];
  const changes = options.journal ? failoverChanges(options.journal, failover.id) : undefined;
  if (options.journal && !changes) notes.push(`The journal has no run of plan "${failover.id}".`);
  const actions = leafActions(failover.steps).filter((step) => !changes || changes.before.has(step.id));

  for (const step of actions) {
    const type = (step.action as { type: string }).type;
    if (type !== 'dns' && type !== 'database' && type !== 'scale')
      notes.push(
        `Step "${step.id}" (a ${type} action) is not reversed by the generated failback: add its way back by hand.`,
      );
  }
  const databases = databaseReversals(failover, actions, changes, options, notes);
  const records = recordReversals(actions, changes, notes);
  const pools = poolReversals(actions, changes, notes);

  const maxLagMs = options.maxLagMs ?? failbackDefaults.maxLagMs;
  const steps: PlanStep[] = [];
  let after: string[] = [];
  const channel = options.notifyChannel;
  if (channel) {
    steps.push({
      id: 'notify-failback-start',
      kind: 'notify',
      channel,
      stage: 'failback-started',
      message: `Failback of "${failover.name}" starts: gates, then the databases, then traffic in stages of ${percents.join(' → ')} %.`,
    });
    after = ['notify-failback-start'];
  }

  // 1. Gates.
  const gates: PlanStep[] = [];
  const stableForMs = options.stableForMs ?? failbackDefaults.stableForMs;
  const since = options.stableSince ?? changes?.endedAt;
  const waited = since !== undefined && options.now !== undefined ? Math.max(0, options.now - since) : 0;
  const remaining = Math.max(0, stableForMs - waited);
  if (remaining > 0)
    gates.push({
      id: 'dr-region-stable',
      name: `DR region stable for ${Math.round(stableForMs / 60_000)} min`,
      kind: 'wait',
      durationMs: remaining,
    });
  (options.reconciliationChecks ?? []).forEach((check, index) => {
    gates.push({ id: `reconcile-${index + 1}`, kind: 'check', check: { ...check } });
  });
  if (gates.length > 0) {
    steps.push({ id: 'gates', kind: 'group', mode: 'sequential', steps: gates, ...dependsOn(after) });
    after = ['gates'];
  }

  // 2. Databases: reprotect, switch back, verify; all databases at once.
  if (databases.length > 0) {
    steps.push({
      id: 'databases',
      kind: 'group',
      mode: 'parallel',
      ...dependsOn(after),
      steps: databases.map(({ stepId, action, region, reprotect }) => ({
        id: `database-${stepId}`,
        kind: 'group',
        mode: 'sequential',
        steps: [
          ...(!reportsLag(options, action.provider)
            ? []
            : [
                {
                  id: `reprotect-${stepId}`,
                  name: `Replication to ${region} within ${maxLagMs} ms`,
                  kind: 'verify',
                  check: {
                    type: 'replication-lag',
                    provider: action.provider,
                    database: { ...action.database },
                    region,
                    maxLagMs,
                    // Run again once the writer is back, the gate has nothing left to guard. Not
                    // after a reprotect: an old primary standing alone there must not count.
                    ...(!reprotect && { orWriterIn: region }),
                  },
                  timeoutMs: options.reprotectTimeoutMs ?? failbackDefaults.reprotectTimeoutMs,
                  intervalMs: 30_000,
                } satisfies PlanStep,
              ]),
          {
            id: `switch-back-${stepId}`,
            name: `Writer back to ${region} (planned)`,
            kind: 'action',
            action: {
              type: 'database',
              provider: action.provider,
              database: { ...(reprotect?.options.switchBackDatabase ?? action.database) },
              region,
              mode: 'planned',
              // The re-created replica must take the writer role: an old primary standing alone
              // in the original region does not count as "the writer is back".
              ...(reprotect && { memberId: reprotect.options.replicaId }),
              ...(action.providerOptions && { providerOptions: action.providerOptions }),
            },
            timeoutMs: 20 * 60_000,
            // A planned switchover loses nothing and can be made again the other way:
            // an aborted failback moves the writer back to the DR region with the traffic.
            reversible: true,
          },
          {
            id: `verify-writer-${stepId}`,
            kind: 'verify',
            check: {
              type: 'database-writer',
              provider: action.provider,
              database: { ...(reprotect?.options.switchBackDatabase ?? action.database) },
              region,
            },
            timeoutMs: 10 * 60_000,
            intervalMs: 10_000,
          },
        ],
      })),
    });
    after = ['databases'];
  }

  // 3. Canary stages.
  const soakMs = options.soakMs ?? failbackDefaults.soakMs;
  const weighted = records.filter((record) => record.weighted);
  const stages = weighted.length > 0 ? percents : [100];
  if (weighted.length === 0 && percents.length > 1 && records.length > 0)
    notes.push(
      'No record set the failover changed uses weighted routing, so traffic goes back in one stage (100 %), then soaks.',
    );
  for (const percent of records.length > 0 ? stages : []) {
    const last = percent === 100;
    const moves: PlanStep[] = records
      .filter((record) => last || record.weighted)
      .map((record) => {
        // A stage only ever moves traffic towards the original shares: re-run after the
        // failback (or after one stopped at a later stage), it changes nothing.
        const desired: DnsDesiredState =
          last || !record.weighted
            ? record.restore
            : {
                weightPercents: stageShares(record.weighted.dr, record.weighted.original, percent),
                advanceTowards: { ...record.weighted.original },
              };
        return {
          id: `${record.stepId}-to-${percent}`,
          name: `${record.action.record.name}: ${percent} % back`,
          kind: 'action',
          action: { ...record.action, record: { ...record.action.record }, desired },
          traffic: true,
        } satisfies ActionStep;
      });
    const stage = `canary-${percent}`;
    const soak: PlanStep[] = [{ id: `soak-${percent}`, kind: 'wait', durationMs: soakMs }];
    if (channel)
      soak.unshift({
        id: `notify-canary-${percent}`,
        kind: 'notify',
        channel,
        stage: 'failback-stage',
        message: `${percent} % of the traffic is back in the original region; soaking ${Math.round(soakMs / 60_000)} min.`,
      });
    (options.canaryChecks ?? []).forEach((check: CheckSpec, index) => {
      soak.push({ id: `canary-${percent}-check-${index + 1}`, kind: 'check', check: { ...check } });
    });
    steps.push({
      id: stage,
      kind: 'group',
      mode: 'sequential',
      ...dependsOn(after),
      steps: [{ id: `${stage}-switch`, kind: 'group', mode: 'parallel', steps: moves }, ...soak],
    });
    after = [stage];
  }
  if (records.length > 0 && (options.canaryChecks ?? []).length === 0)
    notes.push('No canary checks were given: each stage only soaks; nothing can abort it.');

  if (channel && steps.length > 1)
    steps.push({
      id: 'notify-failback-done',
      kind: 'notify',
      channel,
      stage: 'failback-completed',
      message: `Failback of "${failover.name}" is done: traffic and writers are back in the original region.`,
      ...dependsOn(after),
    });

  const targetAliases = [...new Set(databases.map((database) => database.region))].filter(
    (region) => region !== failover.sourceRegion,
  );
  const plan: FailoverPlan = {
    version: 1,
    id: options.id ?? `${failover.id}-failback`,
    name: `Failback: ${failover.name}`,
    description: `Generated from "${failover.id}"${changes ? ' and the journal of its run' : ''}: the way back, gated and gradual.`,
    sourceRegion: failover.targetRegion,
    targetRegion: failover.sourceRegion,
    ...(targetAliases.length > 0 && { targetRegionAliases: targetAliases }),
    ...(failover.objectives && { objectives: { ...failover.objectives } }),
    steps,
  };

  const reprotected = databases.filter((database) => database.reprotect);
  const reprotect: FailoverPlan | undefined =
    reprotected.length === 0
      ? undefined
      : {
          version: 1,
          id: `${plan.id}-reprotect`,
          name: `Reprotect: ${failover.name}`,
          description: `Run before "${plan.id}": re-creates the replication a forced promotion broke, towards ${failover.sourceRegion}.`,
          sourceRegion: plan.sourceRegion,
          targetRegion: plan.targetRegion,
          ...(targetAliases.length > 0 && { targetRegionAliases: targetAliases }),
          steps: [
            {
              id: 'reprotect',
              kind: 'group',
              mode: 'parallel',
              steps: reprotected.map(({ stepId, action, region, reprotect: asked }) => ({
                id: `reprotect-database-${stepId}`,
                kind: 'group',
                mode: 'sequential',
                steps: reprotectSteps(stepId, action, region, asked!, options),
              })),
            },
          ],
        };
  if (reprotect)
    notes.push(
      `Run "${reprotect.id}" (the replicas a forced promotion broke) before "${plan.id}": its switch-back needs them.`,
    );

  const cleanup: FailoverPlan | undefined =
    pools.length === 0
      ? undefined
      : {
          version: 1,
          id: `${plan.id}-cleanup`,
          name: `Scale down the DR capacity: ${failover.name}`,
          description: `Run once "${plan.id}" has succeeded: every pool the failover scaled goes back to its size before.`,
          sourceRegion: plan.sourceRegion,
          targetRegion: plan.targetRegion,
          steps: [
            {
              id: 'approve-scale-down',
              kind: 'approval',
              message: `Scale the DR capacity of "${failover.name}" back down (${pools.length} pool(s))?`,
              timeoutMs: options.scaleDownApprovalTimeoutMs ?? failbackDefaults.scaleDownApprovalTimeoutMs,
            },
            {
              id: 'scale-down',
              kind: 'group',
              mode: 'parallel',
              dependsOn: ['approve-scale-down'],
              steps: pools.map(({ stepId, action, pool }) => ({
                id: `${stepId}-back`,
                kind: 'action',
                action: {
                  type: 'scale',
                  provider: action.provider,
                  pool: { ...action.pool },
                  desired: pool.desired,
                  ...(action.min !== undefined && pool.min !== undefined && { min: pool.min }),
                  ...(action.max !== undefined && pool.max !== undefined && { max: pool.max }),
                  minReady: 0,
                },
              })),
            },
          ],
        };
  return ok({ plan, ...(reprotect && { reprotect }), ...(cleanup && { cleanup }), notes });
}

/** Whether the database provider reports lag; without `providers`, assume it does. */
function reportsLag(options: FailbackOptions, name: string): boolean {
  if (!options.providers) return true;
  const provider = options.providers[name] as { capabilities?: { replicationLag?: unknown } } | undefined;
  return provider?.capabilities?.replicationLag === true;
}

const dependsOn = (ids: string[]) => (ids.length > 0 ? { dependsOn: [...ids] } : {});

/** The plan's action steps, in plan order (groups flattened). */
function leafActions(steps: readonly PlanStep[]): ActionStep[] {
  const out: ActionStep[] = [];
  for (const step of steps) {
    if (step.kind === 'group') out.push(...leafActions(step.steps));
    else if (step.kind === 'action') out.push(step);
  }
  return out;
}

function isTopology(state: ObservedState | undefined): state is DatabaseTopology {
  return typeof state === 'object' && state !== null && 'members' in state;
}
function isRecordSet(state: ObservedState | undefined): state is DnsRecordSet {
  return typeof state === 'object' && state !== null && 'targets' in state && 'routing' in state;
}
function isPool(state: ObservedState | undefined): state is NodePool {
  return typeof state === 'object' && state !== null && 'desired' in state && !('targets' in state);
}

/** One database the failover moved: where its writer goes back to, and how it is reprotected. */
interface DatabaseReversal {
  stepId: string;
  action: DatabaseAction;
  region: string;
  /** Replication to re-create first (a forced promotion broke it and the caller named the replica). */
  reprotect?: { options: ReprotectOptions; writerId: string };
}

/** The one member the topology before the failover had in `region` (the one promoted), if just one. */
function drMember(before: ObservedState | undefined, region: string): string | undefined {
  if (!isTopology(before)) return undefined;
  const members = before.members.filter((member) => member.region === region);
  return members.length === 1 ? members[0]!.id : undefined;
}

/**
 * The reprotect action (and, when asked, the designation as switchover target): an
 * open-kind step on the reprotect provider, idempotent, with its own wait. Its rollback
 * keeps the replica (an aborted failback leaves the DR region protected).
 */
function reprotectSteps(
  stepId: string,
  action: DatabaseAction,
  region: string,
  reprotect: NonNullable<DatabaseReversal['reprotect']>,
  options: FailbackOptions,
): ActionStep[] {
  const { options: asked, writerId } = reprotect;
  const provider = asked.provider ?? `${action.provider}-reprotect`;
  const resource = {
    database: { ...action.database },
    region,
    replicaId: asked.replicaId,
    writer: { region: action.region, memberId: writerId },
    ...(asked.providerOptions && { providerOptions: asked.providerOptions }),
  };
  const timeoutMs = asked.timeoutMs ?? options.reprotectTimeoutMs ?? failbackDefaults.reprotectTimeoutMs;
  const steps: ActionStep[] = [
    {
      id: `recreate-replica-${stepId}`,
      name: `Replica ${asked.replicaId} in ${region}, replicating from ${writerId}`,
      kind: 'action',
      action: { type: 'resource', provider, resource, desired: { state: 'replicating' } },
      timeoutMs,
    },
  ];
  if (asked.designate)
    steps.push({
      id: `designate-replica-${stepId}`,
      name: `${asked.replicaId} designated as ${writerId}'s switchover target`,
      kind: 'action',
      action: { type: 'resource', provider, resource, desired: { state: 'replicating', designated: true } },
      timeoutMs: 20 * 60_000,
    });
  return steps;
}

/** Each database the failover moved, with the region its writer goes back to. */
function databaseReversals(
  failover: FailoverPlan,
  actions: readonly ActionStep[],
  changes: FailoverChanges | undefined,
  options: FailbackOptions,
  notes: string[],
): DatabaseReversal[] {
  const seen = new Set<string>();
  const out: DatabaseReversal[] = [];
  for (const step of actions) {
    if (step.action.type !== 'database') continue;
    const action = step.action;
    const key = `${action.provider}\u0000${action.database.id}`;
    if (seen.has(key)) continue;
    const before = changes?.before.get(step.id);
    // A writer read while its region was dark may carry no region (''): unknown, like none.
    const journaled = isTopology(before) ? writerRegion(before) || undefined : undefined;
    const region =
      journaled ??
      options.originalRegions?.[step.id] ??
      (isTopology(before)
        ? undefined
        : action.region === failover.targetRegion
          ? failover.sourceRegion
          : undefined);
    if (region === undefined) {
      notes.push(
        `Step "${step.id}": where its writer was before is unknown (pass the failover journal, or originalRegions["${step.id}"]); its database is left where it is.`,
      );
      continue;
    }
    if (region === action.region) continue;
    const asked = options.reprotect?.[step.id];
    let reprotect: DatabaseReversal['reprotect'];
    if (asked && action.mode !== 'forced')
      notes.push(
        `Step "${step.id}" was a planned switchover, which keeps replication: reprotect["${step.id}"] is not needed and is ignored.`,
      );
    else if (asked) {
      const writerId = asked.writerId ?? action.memberId ?? drMember(before, action.region);
      if (writerId === undefined)
        notes.push(
          `Step "${step.id}": which member writes in ${action.region} is unknown (pass the journal, or reprotect["${step.id}"].writerId); its replica is not re-created.`,
        );
      else {
        reprotect = { options: asked, writerId };
        const name = asked.provider ?? `${action.provider}-reprotect`;
        const registered = options.providers?.[name];
        if (options.providers && registered?.kind !== 'resource')
          notes.push(
            `Step "${step.id}": no reprotect provider "${name}" among the providers: register databaseReprotectResource(<the "${action.provider}" provider>) under that name${hasDatabaseReprotect(options.providers[action.provider] ?? {}) ? '' : ` (and "${action.provider}" has no DatabaseReprotectV1 capability)`}.`,
          );
        if (!asked.switchBackDatabase)
          notes.push(
            `Step "${step.id}": its switch-back reads database "${action.database.id}" as the failover did; after a forced promotion that may read as the old primary standing alone, and the switch-back (to ${asked.replicaId}) is then refused: name the database as the DR writer sees it in reprotect["${step.id}"].switchBackDatabase.`,
          );
      }
    } else if (action.mode === 'forced')
      notes.push(
        `Step "${step.id}" promoted with data loss: if that broke replication (a detached secondary, a promoted replica), re-create the replica in ${region} before the failback (reprotect["${step.id}"] does it where the provider can), or its reprotect gate will wait until its deadline.`,
      );
    seen.add(key);
    out.push({ stepId: step.id, action, region, ...(reprotect && { reprotect }) });
  }
  return out;
}

const recordKey = (action: DnsAction) =>
  `${action.provider}\u0000${action.record.zone ?? ''}\u0000${action.record.name}\u0000${action.record.type ?? ''}`;

/** Each record set the failover changed, with the desired state that puts it back. */
function recordReversals(
  actions: readonly ActionStep[],
  changes: FailoverChanges | undefined,
  notes: string[],
): RecordReversal[] {
  const byRecord = new Map<string, { first: ActionStep & { action: DnsAction }; steps: DnsAction[] }>();
  for (const step of actions) {
    if (step.action.type !== 'dns') continue;
    const key = recordKey(step.action);
    const entry = byRecord.get(key);
    if (entry) entry.steps.push(step.action);
    else byRecord.set(key, { first: step as ActionStep & { action: DnsAction }, steps: [step.action] });
  }
  const out: RecordReversal[] = [];
  for (const { first, steps } of byRecord.values()) {
    const action = first.action;
    if (changes) {
      const before = changes.before.get(first.id);
      if (!isRecordSet(before)) {
        notes.push(
          `Step "${first.id}" created ${action.record.name}; a failback does not delete record sets, so it stays.`,
        );
        continue;
      }
      const restore = restoreState(before, replay(before, steps));
      const reversal: RecordReversal = { stepId: first.id, action, restore };
      if (before.routing === 'weighted') {
        const dr = drShares(before, steps);
        const original = trafficShares(before);
        if (dr && Object.keys(original).length > 0) reversal.weighted = { dr, original };
      }
      out.push(reversal);
      continue;
    }
    // No journal: reverse only what the plan itself says.
    const fenced = new Set<string>();
    let activated: string | undefined;
    let unknown = false;
    for (const step of steps) {
      const desired = step.desired;
      for (const [id, patch] of Object.entries(desired.targets ?? {})) {
        if (patch.enabled === false) fenced.add(id);
        if (patch.values || patch.weight !== undefined || patch.priority !== undefined) unknown = true;
      }
      if (desired.activeTarget !== undefined) activated = desired.activeTarget;
      if (desired.createIfMissing || desired.weightPercents || desired.ttl !== undefined) unknown = true;
    }
    if (unknown || (activated !== undefined && fenced.size !== 1)) {
      notes.push(
        `${action.record.name} (step "${first.id}"): its state before the failover is not in the plan; pass the failover journal to put it back.`,
      );
      continue;
    }
    const restore: DnsDesiredState = {
      ...(activated !== undefined && { activeTarget: [...fenced][0]! }),
      targets: Object.fromEntries([...fenced].map((id) => [id, { enabled: true }])),
    };
    out.push({ stepId: first.id, action, restore });
  }
  return out;
}

/**
 * The record set after the failover's steps, replayed from the state before them;
 * `undefined` when a step cannot be replayed without its provider (percentages).
 */
function replay(before: DnsRecordSet, steps: readonly DnsAction[]): DnsRecordSet | undefined {
  let state = before;
  for (const step of steps) {
    if (step.desired.weightPercents) return undefined;
    const next = resolveDnsDesiredState(state, step.desired);
    if (next.isErr()) return undefined;
    state = next.value;
  }
  return state;
}

/**
 * The desired state that puts `before` back: the TTL and each target's fields that
 * the failover changed (all of them when the state after it is unknown; `enabled`
 * only where it differs, so a service without disabled targets is never asked to
 * enable one).
 */
function restoreState(before: DnsRecordSet, after: DnsRecordSet | undefined): DnsDesiredState {
  const targets: Record<string, DnsTargetPatch> = {};
  for (const target of before.targets) {
    const now = after?.targets.find((candidate) => candidate.id === target.id);
    const differs = (field: (t: DnsTarget) => unknown) =>
      !now || JSON.stringify(field(now)) !== JSON.stringify(field(target));
    const patch = definedPatch({
      values: differs((t) => t.values) ? [...target.values] : undefined,
      weight: differs((t) => t.weight) ? target.weight : undefined,
      priority: differs((t) => t.priority) ? target.priority : undefined,
      enabled: (now ? now.enabled !== target.enabled : !target.enabled) ? target.enabled : undefined,
    });
    if (Object.keys(patch).length > 0) targets[target.id] = patch;
  }
  // The TTL only when the failover changed it: some services (ARC routing controls) have none to set.
  return {
    ...((!after || after.ttl !== before.ttl) && { ttl: before.ttl }),
    ...(Object.keys(targets).length > 0 && { targets }),
  };
}

/** The traffic shares after the failover's steps on one weighted record set. */
function drShares(before: DnsRecordSet, steps: readonly DnsAction[]): Record<string, number> | undefined {
  const percents = steps.findLast((step) => step.desired.weightPercents)?.desired.weightPercents;
  if (percents) return { ...Object.fromEntries(before.targets.map((t) => [t.id, 0])), ...percents };
  const after = replay(before, steps);
  const shares = after ? trafficShares(after) : {};
  return Object.keys(shares).length > 0 ? shares : undefined;
}

function definedPatch(patch: DnsTargetPatch): DnsTargetPatch {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as DnsTargetPatch;
}

/** Each pool the failover scaled, with its size before. Only the journal knows it. */
function poolReversals(
  actions: readonly ActionStep[],
  changes: FailoverChanges | undefined,
  notes: string[],
): Array<{ stepId: string; action: ScaleAction; pool: NodePool }> {
  const out: Array<{ stepId: string; action: ScaleAction; pool: NodePool }> = [];
  for (const step of actions) {
    if (step.action.type !== 'scale') continue;
    const before = changes?.before.get(step.id);
    if (!isPool(before)) {
      if (!changes)
        notes.push(
          `Step "${step.id}": the pool's size before is only in the journal; no scale-down is generated for it.`,
        );
      continue;
    }
    out.push({ stepId: step.id, action: step.action, pool: before });
  }
  return out;
}
