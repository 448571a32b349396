import { type GraphGroup, type GraphNode, isGroup, type PlanGraph } from './graph-model.js';

/** A Graphviz digraph: groups as `cluster_` subgraphs, step ids as quoted node ids. */
export function renderDot(graph: PlanGraph): string {
  const lines = [
    `digraph ${quote(graph.title)} {`,
    '  rankdir=TB;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
  ];
  let clusters = 0;
  const emit = (item: GraphNode | GraphGroup, indent: string): void => {
    if (isGroup(item)) {
      lines.push(`${indent}subgraph cluster_${clusters++} {`);
      lines.push(`${indent}  label=${quote(item.label)};`);
      for (const child of item.children) emit(child, `${indent}  `);
      lines.push(`${indent}}`);
      return;
    }
    const shape = shapes[item.kind];
    lines.push(`${indent}${quote(item.id)} [label=${quote(item.label)}${shape ? `, shape=${shape}` : ''}];`);
  };
  for (const root of graph.roots) emit(root, '  ');
  for (const edge of graph.edges) lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
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
