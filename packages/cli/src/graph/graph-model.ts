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

export interface PlanGraph {
  title: string;
  /** Top-level steps and groups, in plan order. */
  roots: Array<GraphNode | GraphGroup>;
  /** `from` must succeed before `to` starts. */
  edges: Array<{ from: string; to: string }>;
}

export const isGroup = (item: GraphNode | GraphGroup): item is GraphGroup => 'children' in item;

/** The graph of a compiled plan: the plan's nesting for groups, the compiled dependencies for edges. */
export function planGraph(compiled: CompiledPlan): PlanGraph {
  const toItem = (step: PlanStep): GraphNode | GraphGroup => {
    if (step.kind === 'group') {
      return {
        id: step.id,
        label: `${step.name ?? step.id} (${step.mode})`,
        children: step.steps.map(toItem),
      };
    }
    return { id: step.id, label: `${step.name ?? step.id}\n${describeStep(step)}`, kind: step.kind };
  };
  const edges: PlanGraph['edges'] = [];
  for (const id of compiled.order) {
    for (const dependency of compiled.steps.get(id)!.deps) edges.push({ from: dependency, to: id });
  }
  return { title: compiled.plan.name, roots: compiled.plan.steps.map(toItem), edges };
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
