import { type GraphEdge, type GraphGroup, type GraphNode, isGroup, type PlanGraph } from './graph-model.js';

/** A Graphviz digraph: groups as `cluster_` subgraphs, step ids as quoted node ids. */
export function renderDot(graph: PlanGraph): string {
  const lines = [
    `digraph ${quote(graph.title)} {`,
    '  rankdir=TB;',
    '  compound=true;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
  ];
  let clusters = 0;
  // An edge to or from a cluster is drawn between one of its steps and clipped at its border.
  const clusterOf = new Map<string, { name: string; step: string }>();
  const stepIds = new Set<string>();
  const emit = (item: GraphNode | GraphGroup, indent: string): void => {
    if (isGroup(item)) {
      const name = `cluster_${clusters++}`;
      const step = firstStep(item);
      if (step !== undefined) clusterOf.set(item.id, { name, step });
      lines.push(`${indent}subgraph ${name} {`);
      lines.push(`${indent}  label=${quote(item.label)};`);
      for (const child of item.children) emit(child, `${indent}  `);
      lines.push(`${indent}}`);
      return;
    }
    stepIds.add(item.id);
    const shape = shapes[item.kind];
    lines.push(`${indent}${quote(item.id)} [label=${quote(item.label)}${shape ? `, shape=${shape}` : ''}];`);
  };
  for (const root of graph.roots) emit(root, '  ');
  // Junctions live in their own namespace: their node ids avoid every step id.
  const junctionIds = new Map<string, string>();
  for (const junction of graph.junctions) {
    let id = junction;
    while (stepIds.has(id)) id = `${id}'`;
    junctionIds.set(junction, quote(id));
  }
  const junctionId = (name: string) => junctionIds.get(name)!;
  for (const junction of graph.junctions) {
    lines.push(`  ${junctionId(junction)} [label="", shape=point, width=0.08];`);
  }
  for (const edge of graph.edges) {
    const from = endOf(edge.from, edge.fromKind, clusterOf, junctionId);
    const to = endOf(edge.to, edge.toKind, clusterOf, junctionId);
    const clip = [from.cluster && `ltail=${from.cluster}`, to.cluster && `lhead=${to.cluster}`].filter(
      Boolean,
    );
    lines.push(`  ${from.node} -> ${to.node}${clip.length > 0 ? ` [${clip.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function endOf(
  id: string,
  kind: GraphEdge['fromKind'],
  clusterOf: ReadonlyMap<string, { name: string; step: string }>,
  junctionId: (name: string) => string,
): { node: string; cluster?: string } {
  if (kind === 'junction') return { node: junctionId(id) };
  const cluster = kind === 'group' ? clusterOf.get(id) : undefined;
  return cluster ? { node: quote(cluster.step), cluster: cluster.name } : { node: quote(id) };
}

/** The first step inside a group, at any depth. */
function firstStep(group: GraphGroup): string | undefined {
  for (const child of group.children) {
    const found = isGroup(child) ? firstStep(child) : child.id;
    if (found !== undefined) return found;
  }
  return undefined;
}

const shapes: Partial<Record<GraphNode['kind'], string>> = {
  approval: 'diamond',
  check: 'ellipse',
  verify: 'ellipse',
  notify: 'note',
};

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
