import type { CompiledPlan, PlanStep } from '@failover/core';

/** A leaf step as the graph shows it. */
export interface GraphNode {
  id: string;
  label: string;
  kind: PlanStep['kind'];
}

/** A group, drawn as a subgraph (Mermaid) or a cluster (DOT). */
export interface GraphGroup {
  id: string;
  label: string;
  children: Array<GraphNode | GraphGroup>;
}

/**
 * `from` must succeed before `to` starts. An end that names a group stands for all
 * its steps; one that names a junction, for the steps on its other side.
 */
export interface GraphEdge {
  from: string;
  to: string;
  /** What `from` names when it is not a step. */
  fromKind?: 'group' | 'junction';
  /** What `to` names when it is not a step. */
  toKind?: 'group' | 'junction';
}

export interface PlanGraph {
  title: string;
  /** Top-level steps and groups, in plan order. */
  roots: Array<GraphNode | GraphGroup>;
  /** Zero-work points where many steps wait for many others (drawn small); their own namespace. */
  junctions: string[];
  edges: GraphEdge[];
}

export const isGroup = (item: GraphNode | GraphGroup): item is GraphGroup => 'children' in item;

/**
 * The graph of a compiled plan: the plan's nesting for groups, the compiled dependencies
 * for edges. Steps that wait for the same leaves share one `deps` array (see
 * `compilePlan`); when drawing its m × k leaf edges would cost more than m + k, they are
 * drawn from (or to) the group those leaves make up, or through a junction, so the output
 * grows with the number of steps, not its square (two stages of 5,000 steps are one edge).
 */
export function planGraph(compiled: CompiledPlan): PlanGraph {
  const groupOfLeaves = new Map<string, string>();
  const toItem = (step: PlanStep, leaves: string[]): GraphNode | GraphGroup => {
    if (step.kind === 'group') {
      const mine: string[] = [];
      const children = step.steps.map((child) => toItem(child, mine));
      if (mine.length > 1) {
        const key = leafKey(mine);
        // The outermost group with these leaves wins (it is seen last).
        groupOfLeaves.set(key, step.id);
      }
      leaves.push(...mine);
      return { id: step.id, label: `${step.name ?? step.id} (${step.mode})`, children };
    }
    leaves.push(step.id);
    return { id: step.id, label: `${step.name ?? step.id}\n${describeStep(step)}`, kind: step.kind };
  };
  const roots = compiled.plan.steps.map((step) => toItem(step, []));

  // The steps sharing each deps array, in compile order.
  const sharers = new Map<readonly string[], string[]>();
  for (const id of compiled.order) {
    const deps = compiled.steps.get(id)!.deps;
    if (deps.length === 0) continue;
    const users = sharers.get(deps);
    if (users) users.push(id);
    else sharers.set(deps, [id]);
  }

  const edges: GraphEdge[] = [];
  const junctions: string[] = [];
  for (const [deps, users] of sharers) {
    if (deps.length * users.length <= deps.length + users.length) {
      for (const to of users) for (const from of deps) edges.push({ from, to });
      continue;
    }
    const fromGroup = groupOfLeaves.get(leafKey(deps));
    const toGroup = users.length > 1 ? groupOfLeaves.get(leafKey(users)) : undefined;
    if (fromGroup !== undefined && toGroup !== undefined) {
      edges.push({ from: fromGroup, to: toGroup, fromKind: 'group', toKind: 'group' });
    } else if (fromGroup !== undefined) {
      for (const to of users) edges.push({ from: fromGroup, to, fromKind: 'group' });
    } else if (toGroup !== undefined) {
      for (const from of deps) edges.push({ from, to: toGroup, toKind: 'group' });
    } else {
      const junction = `join-${junctions.length + 1}`;
      junctions.push(junction);
      for (const from of deps) edges.push({ from, to: junction, toKind: 'junction' });
      for (const to of users) edges.push({ from: junction, to, fromKind: 'junction' });
    }
  }
  return { title: compiled.plan.name, roots, junctions, edges };
}

/** A key for a set of leaf ids, whatever their order. */
function leafKey(ids: readonly string[]): string {
  return [...ids].sort().join('\u0000');
}

/** A short second line: what kind of step, on what. */
function describeStep(step: Exclude<PlanStep, { kind: 'group' }>): string {
  switch (step.kind) {
    case 'check':
    case 'verify':
      return `${step.kind}: ${step.check.type}`;
    case 'action': {
      const action = step.action;
      if (action.type === 'database')
        return `${action.type} ${action.mode} -> ${action.region} (${action.provider})`;
      return `${action.type} (${action.provider})`;
    }
    case 'approval':
      return 'approval';
    case 'wait':
      return `wait ${formatMs(step.durationMs)}`;
    case 'notify':
      return `notify ${step.channel}`;
  }
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000} min`;
  if (ms % 1_000 === 0) return `${ms / 1_000} s`;
  return `${ms} ms`;
}
