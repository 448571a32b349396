import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { fixture, runFailover } from './cli-harness.js';

describe('failover graph', () => {
  it('draws groups as Mermaid subgraphs with the compiled dependencies as edges', async () => {
    const run = await runFailover(['graph', fixture('grouped-plan.ts')]);
    expect(run.code).toBe(exitCodes.success);
    const lines = run.stdout.split('\n').map((line) => line.trim());
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toContain('subgraph preflight["preflight (parallel)"]');
    expect(lines).toContain('subgraph failover["failover (sequential)"]');
    for (const edge of [
      'lag_ok --> scale_standby',
      'ttl_ok --> scale_standby',
      'scale_standby --> promote',
      'promote --> switch_dns',
      'switch_dns --> announce',
    ]) {
      expect(lines).toContain(edge);
    }
    // Steps sit inside their group, between its `subgraph` and `end`.
    const start = lines.indexOf('subgraph failover["failover (sequential)"]');
    const end = lines.indexOf('end', start);
    expect(lines.slice(start, end).some((line) => line.startsWith('promote['))).toBe(true);
    expect(lines.filter((line) => line === 'end')).toHaveLength(2);
    // Ids with a dash become safe node ids; the label keeps the step id.
    expect(lines).toContain('scale_standby["scale-standby<br/>scale (k8s)"]');
  });

  it('draws groups as DOT clusters and escapes quotes', async () => {
    const run = await runFailover(['graph', fixture('grouped-plan.ts'), '--format', 'dot']);
    expect(run.code).toBe(exitCodes.success);
    expect(run.stdout).toMatch(/^digraph "Grouped \\"demo\\" plan" \{/);
    expect(run.stdout).toContain('subgraph cluster_0 {');
    expect(run.stdout).toContain('label="failover (sequential)";');
    expect(run.stdout).toContain('"promote" -> "switch-dns";');
    expect(run.stdout).toContain('"switch-dns" -> "announce";');
    expect(run.stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('rejects an unknown format', async () => {
    const run = await runFailover(['graph', fixture('grouped-plan.ts'), '--format', 'svg']);
    expect(run.code).toBe(exitCodes.invalid);
    expect(run.stderr).toBe('error --format must be one of mermaid, dot, got "svg".\n');
  });
});
