import { type GraphEdge, type GraphGroup, type GraphNode, isGroup, type PlanGraph } from './graph-model.js';

/** A Mermaid flowchart: groups as subgraphs, step ids kept as node ids where Mermaid allows. */
export function renderMermaid(graph: PlanGraph): string {
  const ids = new NodeIds();
  const lines = ['flowchart TD'];
  const emit = (item: GraphNode | GraphGroup, indent: string): void => {
    if (isGroup(item)) {
      lines.push(`${indent}subgraph ${ids.of(item.id)}["${escapeLabel(item.label)}"]`);
      for (const child of item.children) emit(child, `${indent}  `);
      lines.push(`${indent}end`);
      return;
    }
    const [open, close] = shapes[item.kind] ?? ['[', ']'];
    lines.push(`${indent}${ids.of(item.id)}${open}"${escapeLabel(item.label)}"${close}`);
  };
  for (const root of graph.roots) emit(root, '  ');
  const junctions = new Map<string, string>();
  for (const junction of graph.junctions) {
    const id = ids.fresh(junction);
    junctions.set(junction, id);
    lines.push(`  ${id}(( ))`);
  }
  const end = (id: string, kind: GraphEdge['fromKind']) =>
    kind === 'junction' ? junctions.get(id)! : ids.of(id);
  for (const edge of graph.edges) {
    lines.push(`  ${end(edge.from, edge.fromKind)} --> ${end(edge.to, edge.toKind)}`);
  }
  return `${lines.join('\n')}\n`;
}

const shapes: Partial<Record<GraphNode['kind'], [string, string]>> = {
  check: ['([', '])'],
  verify: ['([', '])'],
  approval: ['{{', '}}'],
  wait: ['[/', '/]'],
  notify: ['>', ']'],
};

/** Mermaid labels are quoted; quotes become entities and line breaks `<br/>`. */
function escapeLabel(text: string): string {
  return text
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\n/g, '<br/>');
}

/**
 * Node ids Mermaid parses safely: letters, digits and `_` (a `-` can read as
 * part of an arrow), not a keyword, unique. The step id stays in the label.
 */
export class NodeIds {
  private readonly map = new Map<string, string>();
  private readonly used = new Set<string>();

  of(stepId: string): string {
    let id = this.map.get(stepId);
    if (id !== undefined) return id;
    id = this.fresh(stepId);
    this.map.set(stepId, id);
    return id;
  }

  /** A new id, unique among all given, for something that is not a step (a junction). */
  fresh(name: string): string {
    let id = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(id) || reserved.has(id.toLowerCase())) id = `s_${id}`;
    while (this.used.has(id)) id = `${id}_`;
    this.used.add(id);
    return id;
  }
}

// Words Mermaid's flowchart grammar treats as keywords.
const reserved = new Set([
  'end',
  'subgraph',
  'graph',
  'flowchart',
  'style',
  'classdef',
  'class',
  'click',
  'default',
]);
