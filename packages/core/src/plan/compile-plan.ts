import { err, ok, type Result } from '../result.js';
import type { FailoverPlan } from './failover-plan.js';
import { joinPlanPath } from './plan-path.js';
import { type PlanProblem, unreadableProblem } from './plan-problem.js';
import { PlanValidationError } from './plan-validation-error.js';
import type { GroupStep, PlanStep } from './step.js';

/** A step that runs: anything but a group. */
export type LeafStep = Exclude<PlanStep, GroupStep>;

/** One leaf step of a compiled plan, with the leaf steps it waits for. */
export interface CompiledStep {
  step: LeafStep;
  /**
   * Ids of leaf steps that must succeed first. A sufficient set: every leaf the
   * step has to wait for is here or is (transitively) a dependency of one that is.
   * Steps that wait for the same thing (the leaves of a parallel group after a
   * step or group) share one array, so a wide stage after a wide stage costs
   * O(steps), not O(steps²): treat it as read-only.
   */
  deps: string[];
  /** Ids of enclosing groups, outermost first. */
  groups: string[];
}

/** A plan as a DAG of leaf steps: groups resolved into dependencies, in a topological order. */
export interface CompiledPlan {
  plan: FailoverPlan;
  steps: ReadonlyMap<string, CompiledStep>;
  /** A topological order of leaf step ids, stable (plan order when unconstrained). */
  order: string[];
}

/** A step (leaf or group) found in the plan, with where it is. */
interface Unit {
  step: PlanStep;
  id: string | undefined;
  path: string;
  /** Pre-order position; `last` is the position of its last descendant, so subtrees are intervals. */
  index: number;
  last: number;
  groups: string[];
  children: Unit[];
  isGroup: boolean;
  mode: 'sequential' | 'parallel';
  /** Leaves whose completion means the unit is complete (memoised). */
  exits?: Unit[];
  /** Set on leaves that made it into the graph (their id is unique). */
  compiled?: CompiledStep;
}

/**
 * Turns a plan's tree of steps and groups into a DAG of leaf steps, checking
 * ids and dependencies on the way. Runs in O(steps + edges), a `deps` array
 * shared by several steps counting once.
 *
 * Ordering rules:
 * - Top-level steps have no implicit order: they are a DAG by `dependsOn` only.
 * - A `sequential` group's children run one after the other; a child that is a
 *   group counts as done when all of its leaf steps are.
 * - A `parallel` group's children have no edges between them.
 * - `dependsOn` on a group applies to every leaf inside it, and depending on a
 *   group means depending on all of its leaves.
 *
 * Problems (all reported together): `duplicate-id`, `missing-id`,
 * `unknown-dependency`, `self-dependency` (on itself, or between a group and
 * a step inside it), `cycle` (with the cycle's path), `empty-group`.
 *
 * @example
 * const compiled = compilePlan(plan);
 * if (compiled.isOk()) for (const id of compiled.value.order) console.log(id, compiled.value.steps.get(id)!.deps);
 */
export function compilePlan(plan: FailoverPlan): Result<CompiledPlan, PlanValidationError> {
  let outcome: ReturnType<typeof compilePlanProblems>;
  try {
    outcome = compilePlanProblems(plan);
  } catch (thrown) {
    // Only input that bypassed the types gets here (absurd nesting, a throwing getter).
    return err(new PlanValidationError([unreadableProblem(thrown)], { cause: thrown }));
  }
  const { compiled, problems } = outcome;
  return compiled ? ok(compiled) : err(new PlanValidationError(problems));
}

/**
 * The work of `compilePlan`, tolerant of malformed input (non-object steps,
 * missing ids) so that validation can report graph problems next to schema ones.
 * @internal
 */
export function compilePlanProblems(plan: FailoverPlan): {
  compiled?: CompiledPlan;
  problems: PlanProblem[];
  /** The leaf graph as far as it could be built (duplicates left out, cycles kept). */
  steps: Map<string, CompiledStep>;
} {
  const problems: PlanProblem[] = [];
  const byId = new Map<string, Unit>();
  const leaves: Unit[] = [];
  let counter = 0;

  // Pass 1: index every step, find duplicate ids and empty groups.
  const index = (steps: unknown, path: string, groups: string[]): Unit[] => {
    if (!Array.isArray(steps)) return [];
    const units: Unit[] = [];
    steps.forEach((raw, position) => {
      if (typeof raw !== 'object' || raw === null) return;
      const step = raw as PlanStep;
      const stepPath = joinPlanPath(path, position);
      const id = typeof step.id === 'string' && step.id !== '' ? step.id : undefined;
      const isGroup = step.kind === 'group';
      const unit: Unit = {
        step,
        id,
        path: stepPath,
        index: counter++,
        last: 0,
        groups,
        children: [],
        isGroup,
        mode: isGroup && step.mode === 'sequential' ? 'sequential' : 'parallel',
      };
      if (id === undefined) {
        problems.push({
          path: joinPlanPath(stepPath, 'id'),
          code: 'missing-id',
          message: 'Every step needs a non-empty string id.',
        });
      } else if (byId.has(id)) {
        const first = byId.get(id)!;
        problems.push({
          path: joinPlanPath(stepPath, 'id'),
          code: 'duplicate-id',
          message: `Step id "${id}" is already used by ${first.path}; ids must be unique across the plan, groups included.`,
        });
      } else {
        byId.set(id, unit);
      }
      if (isGroup) {
        const inner = (step as GroupStep).steps;
        unit.children = index(
          inner,
          joinPlanPath(stepPath, 'steps'),
          id === undefined ? groups : [...groups, id],
        );
        if (!Array.isArray(inner) || inner.length === 0) {
          problems.push({
            path: joinPlanPath(stepPath, 'steps'),
            code: 'empty-group',
            message: `Group "${id ?? '?'}" has no steps; a group needs at least one.`,
          });
        }
      } else if (id !== undefined && byId.get(id) === unit) {
        unit.compiled = { step: step as LeafStep, deps: [], groups };
        leaves.push(unit);
      }
      unit.last = counter - 1;
      units.push(unit);
    });
    return units;
  };
  const roots = index(plan?.steps, 'steps', []);

  // Pass 2: edges. `incoming` holds the units a unit waits for (from enclosing
  // groups, its sequential predecessor and its own dependsOn); a group hands
  // them to the leaves it starts with, and the rest follow by transitivity.
  const contains = (outer: Unit, inner: Unit) => inner.index >= outer.index && inner.index <= outer.last;
  // Leaves handed the same `incoming` array (siblings in a parallel group, or all the leaves a
  // group starts with) wait for the same leaves: they get the same `deps` array, built once.
  const depsOf = new Map<readonly Unit[], string[]>();
  const edges = (unit: Unit, inherited: readonly Unit[]) => {
    const own = resolveDependsOn(unit);
    const incoming = own.length === 0 ? inherited : [...inherited, ...own];
    if (unit.isGroup) {
      let previous: Unit | undefined;
      for (const child of unit.children) {
        if (unit.mode === 'parallel' || previous === undefined) edges(child, incoming);
        else edges(child, [previous]);
        previous = child;
      }
      return;
    }
    const compiled = unit.compiled;
    if (!compiled) return;
    const known = depsOf.get(incoming);
    if (known) {
      compiled.deps = known;
      return;
    }
    const seen = new Set<string>();
    for (const dependency of incoming) {
      for (const leaf of exitsOf(dependency)) {
        const id = leaf.id!;
        if (!seen.has(id)) {
          seen.add(id);
          compiled.deps.push(id);
        }
      }
    }
    depsOf.set(incoming, compiled.deps);
  };
  const resolveDependsOn = (unit: Unit): Unit[] => {
    const dependsOn: unknown = unit.step.dependsOn;
    if (!Array.isArray(dependsOn)) return [];
    const resolved: Unit[] = [];
    dependsOn.forEach((target, position) => {
      if (typeof target !== 'string') return;
      const path = joinPlanPath(joinPlanPath(unit.path, 'dependsOn'), position);
      const name = unit.id ?? '?';
      const found = byId.get(target);
      if (!found) {
        problems.push({
          path,
          code: 'unknown-dependency',
          message: `Step "${name}" depends on "${target}", which is not a step of this plan.`,
        });
      } else if (found === unit) {
        problems.push({ path, code: 'self-dependency', message: `Step "${name}" depends on itself.` });
      } else if (contains(found, unit)) {
        problems.push({
          path,
          code: 'self-dependency',
          message: `Step "${name}" depends on group "${target}", which contains it.`,
        });
      } else if (contains(unit, found)) {
        problems.push({
          path,
          code: 'self-dependency',
          message: `Group "${name}" depends on "${target}", which is inside it.`,
        });
      } else {
        resolved.push(found);
      }
    });
    return resolved;
  };
  for (const root of roots) edges(root, []);

  // Pass 3: a depth-first topological sort over leaves in plan order. Post-order
  // keeps plan order wherever dependencies allow it; a grey node met again is a cycle.
  const order = topologicalOrder(leaves, byId, problems);

  const steps = new Map<string, CompiledStep>();
  for (const leaf of leaves) steps.set(leaf.id!, leaf.compiled!);
  if (problems.length > 0) return { problems, steps };
  return { compiled: { plan, steps, order }, problems, steps };
}

/** The leaves whose completion completes `unit` (all of its leaves, transitively). */
function exitsOf(unit: Unit): Unit[] {
  if (!unit.isGroup) return unit.compiled ? [unit] : [];
  if (unit.exits) return unit.exits;
  let exits: Unit[];
  if (unit.mode === 'sequential') {
    const last = unit.children[unit.children.length - 1];
    exits = last ? exitsOf(last) : [];
  } else {
    exits = [];
    for (const child of unit.children) for (const leaf of exitsOf(child)) exits.push(leaf);
  }
  unit.exits = exits;
  return exits;
}

const white = 0;
const grey = 1;
const black = 2;

function topologicalOrder(leaves: Unit[], byId: Map<string, Unit>, problems: PlanProblem[]): string[] {
  const colour = new Map<string, number>();
  const order: string[] = [];
  // Iterative, so a 10,000-step chain does not exhaust the call stack.
  const stack: { unit: Unit; next: number; clean: boolean }[] = [];
  const position = new Map<string, number>();
  // Shared deps arrays whose every leaf is black: a leaf met later with the same array
  // has nothing left to visit there, so each shared array is walked once.
  const visited = new Set<readonly string[]>();
  const frameOf = (unit: Unit) => {
    const deps = unit.compiled!.deps;
    return { unit, next: visited.has(deps) ? deps.length : 0, clean: true };
  };
  for (const start of leaves) {
    if ((colour.get(start.id!) ?? white) !== white) continue;
    colour.set(start.id!, grey);
    position.set(start.id!, 0);
    stack.push(frameOf(start));
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const deps = frame.unit.compiled!.deps;
      if (frame.next < deps.length) {
        const id = deps[frame.next++]!;
        const state = colour.get(id) ?? white;
        if (state === white) {
          colour.set(id, grey);
          position.set(id, stack.length);
          stack.push(frameOf(byId.get(id)!));
        } else if (state === grey) {
          frame.clean = false;
          // The stack from `id` to the top is a chain where each waits for the next, and the top waits for `id`.
          const cycle = stack.slice(position.get(id)!).map((entry) => entry.unit);
          const ids = [...cycle.map((unit) => unit.id!), id];
          problems.push({
            path: cycle[0]!.path,
            code: 'cycle',
            message: `Steps wait on each other in a cycle: ${ids.join(' -> ')} (each waits for the next, through dependsOn or sequential groups).`,
          });
        }
        continue;
      }
      stack.pop();
      // Every leaf of `deps` is black now, unless one was grey (a cycle, reported above).
      if (frame.clean && deps.length > 1) visited.add(deps);
      colour.set(frame.unit.id!, black);
      order.push(frame.unit.id!);
    }
  }
  return order;
}
