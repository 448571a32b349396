import type { DnsDesiredState } from '../providers/dns/dns-desired-state.js';
import type { CompiledStep, LeafStep } from './compile-plan.js';
import type { FailoverPlan } from './failover-plan.js';
import { isFenceStep, namesFencedBefore, normalizeFrontName } from './fence-coverage.js';
import { joinPlanPath } from './plan-path.js';
import type { PlanProblem } from './plan-problem.js';
import { visitAncestors } from './visit-ancestors.js';

/** A leaf step as found in the plan document. */
export interface LocatedStep {
  step: LeafStep;
  path: string;
}

const fenceFlag = 1;
const approvalFlag = 2;

/**
 * A forced (data-losing) database step must come after a fence on every name
 * that fronts its database (`frontedBy`: a `dns.fence` of that record, or
 * `primary-unreachable` evidence naming it), not just after any fencing step,
 * and after an approval, unless the plan opts out of the approval (then it is
 * a notice, so the report can show it). "After" means among its transitive
 * dependencies, groups included.
 *
 * `order` is a topological order when the graph has one; without it (a cycle)
 * each forced step's ancestors are searched on their own.
 */
export function checkForcedDatabaseSteps(
  plan: Pick<FailoverPlan, 'allowForcedWithoutApproval'>,
  forced: readonly LocatedStep[],
  graph: ReadonlyMap<string, CompiledStep>,
  order: readonly string[] | undefined,
  problems: PlanProblem[],
  notices: PlanProblem[],
): void {
  if (forced.length === 0) return;
  const own = (id: string) => {
    const step = graph.get(id)?.step;
    if (!step) return 0;
    return (isFenceStep(step) ? fenceFlag : 0) | (step.kind === 'approval' ? approvalFlag : 0);
  };
  const before = order ? ancestorsByOrder(graph, order, own) : undefined;

  for (const { step, path } of forced) {
    const compiled = graph.get(step.id);
    // A duplicate id is already a problem; its ancestry means nothing.
    if (!compiled || compiled.step !== step) continue;
    const flags = before ? (before.get(step.id) ?? 0) : ancestorsBySearch(graph, step.id, own);
    const at = joinPlanPath(joinPlanPath(path, 'action'), 'mode');
    if ((flags & fenceFlag) === 0) {
      problems.push({
        path: at,
        code: 'forced-without-fence',
        message: `forced database step "${step.id}" may lose data but no fencing step runs before it; make it depend on an action with fence: true (e.g. dns.fence) that takes traffic or writes away from the old primary.`,
      });
    } else {
      checkFencesCoverFronts(step, path, graph, problems);
    }
    if ((flags & approvalFlag) === 0) {
      if (plan.allowForcedWithoutApproval === true) {
        notices.push({
          path: at,
          code: 'forced-without-approval',
          message: `forced database step "${step.id}" runs without an approval because the plan sets allowForcedWithoutApproval.`,
        });
      } else {
        problems.push({
          path: at,
          code: 'forced-without-approval',
          message: `forced database step "${step.id}" may lose data but no approval step runs before it; add one it depends on, or set allowForcedWithoutApproval on the plan.`,
        });
      }
    }
  }
}

/**
 * A forced step that has fences before it must say what fronts its database
 * (`frontedBy`), and each of those names must be fenced by one of its ancestors:
 * a fence of some other record does not stop writes reaching this database.
 */
function checkFencesCoverFronts(
  step: LeafStep,
  path: string,
  graph: ReadonlyMap<string, CompiledStep>,
  problems: PlanProblem[],
): void {
  if (step.kind !== 'action' || step.action.type !== 'database') return;
  const fronts = step.action.frontedBy;
  const at = joinPlanPath(joinPlanPath(path, 'action'), 'frontedBy');
  if (fronts === undefined || fronts.length === 0) {
    problems.push({
      path: at,
      code: 'forced-without-fronted-by',
      message: `forced database step "${step.id}" does not say what fronts its database; list in frontedBy the DNS names and endpoints that take its writes, so validation can check that each is fenced before it.`,
    });
    return;
  }
  const fenced = namesFencedBefore(graph, step.id);
  const missing = fronts.filter((name) => !fenced.has(normalizeFrontName(name)));
  if (missing.length > 0) {
    const have = [...fenced.keys()];
    problems.push({
      path: at,
      code: 'forced-fence-does-not-cover',
      message: `forced database step "${step.id}" is fronted by ${missing.map((name) => `"${name}"`).join(', ')}, but no fence before it covers ${missing.length === 1 ? 'it' : 'them'} (its fences cover ${have.length > 0 ? have.map((name) => `"${name}"`).join(', ') : 'no name'}); fence each with dns.fence on that record or check.primaryUnreachable naming it.`,
    });
  }
}

/**
 * For every step, what its ancestors include: one pass in topological order,
 * O(steps + edges), a `deps` array shared by several steps counted once.
 */
function ancestorsByOrder(
  graph: ReadonlyMap<string, CompiledStep>,
  order: readonly string[],
  own: (id: string) => number,
): Map<string, number> {
  const flags = new Map<string, number>();
  // In topological order a shared array's leaves are all done before its first user: reuse its flags.
  const ofDeps = new Map<readonly string[], number>();
  for (const id of order) {
    const deps = graph.get(id)!.deps;
    let found = ofDeps.get(deps);
    if (found === undefined) {
      found = 0;
      for (const dep of deps) found |= own(dep) | (flags.get(dep) ?? 0);
      ofDeps.set(deps, found);
    }
    flags.set(id, found);
  }
  return flags;
}

/** What the ancestors of `start` include, by a search that tolerates cycles: O(steps + edges), shared arrays once. */
function ancestorsBySearch(
  graph: ReadonlyMap<string, CompiledStep>,
  start: string,
  own: (id: string) => number,
): number {
  let found = 0;
  visitAncestors(graph, start, (id) => {
    found |= own(id);
  });
  return found;
}

/**
 * Checks of one step that need no provider: a database step moving the writer
 * somewhere other than the target region (a notice: failback plans do that),
 * pool sizes that contradict each other, a DNS step that asks for nothing.
 */
export function checkStepConsistency(
  { step, path }: LocatedStep,
  plan: Pick<FailoverPlan, 'targetRegion' | 'targetRegionAliases'>,
  problems: PlanProblem[],
  notices: PlanProblem[],
): void {
  if (step.kind !== 'action') return;
  const action = step.action;
  const at = (field: string) => joinPlanPath(joinPlanPath(path, 'action'), field);
  switch (action.type) {
    case 'database':
      if (action.region !== plan.targetRegion && !plan.targetRegionAliases?.includes(action.region)) {
        notices.push({
          path: at('region'),
          code: 'region-not-target',
          message: `database step "${step.id}" moves the writer to ${action.region}, not to the plan's targetRegion ${plan.targetRegion}.`,
        });
      }
      return;
    case 'dns':
      if (Object.values(action.desired).every((value) => value === undefined)) {
        problems.push({
          path: at('desired'),
          code: 'empty-desired-state',
          message: `desired of DNS step "${step.id}" says nothing (no activeTarget, targets, ttl or createIfMissing), so the step would do nothing.`,
        });
      }
      checkAdvanceTowards(step.id, action.desired, joinPlanPath(at('desired'), 'advanceTowards'), problems);
      return;
    case 'scale': {
      const { min, max, minReady } = action;
      const desired = typeof action.desired === 'number' ? action.desired : undefined;
      const inconsistent = (field: string, message: string) =>
        problems.push({ path: at(field), code: 'inconsistent-size', message });
      if (min !== undefined && max !== undefined && min > max)
        inconsistent('min', `min (${min}) is greater than max (${max}).`);
      if (desired !== undefined && min !== undefined && desired < min)
        inconsistent('desired', `desired (${desired}) is less than min (${min}).`);
      if (desired !== undefined && max !== undefined && desired > max)
        inconsistent('desired', `desired (${desired}) is greater than max (${max}).`);
      if (desired !== undefined && minReady !== undefined && minReady > desired)
        inconsistent(
          'minReady',
          `minReady (${minReady}) is greater than desired (${desired}), so the step could never finish.`,
        );
      return;
    }
  }
}

/**
 * `advanceTowards` needs the stage it advances through (`weightPercents`), shares that
 * sum to 100, and a direction: at least one target that gains on the way.
 */
function checkAdvanceTowards(
  stepId: string,
  desired: DnsDesiredState,
  path: string,
  problems: PlanProblem[],
): void {
  const towards = desired.advanceTowards;
  if (towards === undefined) return;
  const problem = (message: string) =>
    problems.push({ path, code: 'invalid-advance-towards', message: `DNS step "${stepId}": ${message}` });
  const stage = desired.weightPercents;
  if (stage === undefined) {
    problem('advanceTowards needs weightPercents, the stage it advances through.');
    return;
  }
  const sum = Object.values(towards).reduce((total, share) => total + share, 0);
  if (Math.abs(sum - 100) > 1e-6) {
    problem(`the shares of advanceTowards sum to ${String(sum)}, not 100.`);
    return;
  }
  if (!Object.entries(towards).some(([id, share]) => share - (stage[id] ?? 0) > 1e-6))
    problem(
      'advanceTowards gives no target more than weightPercents does, so there is no way forward; leave it out to set the weights as they are.',
    );
}
