import { compilePlan, definePlan, resource } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { planGraph } from './graph-model.js';
import { renderDot } from './render-dot.js';
import { renderMermaid } from './render-mermaid.js';

describe('failover graph with open-kind (resource) steps', () => {
  it('draws resource checks and actions as nodes with their dependencies', () => {
    const plan = definePlan({ id: 'g', name: 'G', sourceRegion: 'us-east-1', targetRegion: 'eu-west-1' })
      .step(
        resource.check('backup-fresh', {
          provider: 'velero',
          resource: { schedule: 'daily' },
          condition: {},
        }),
      )
      .step(
        resource.ensure(
          'scale-api',
          { provider: 'k8s', resource: { deployment: 'api' }, desired: { replicas: 6 } },
          { dependsOn: ['backup-fresh'] },
        ),
      )
      .build()
      ._unsafeUnwrap();
    const graph = planGraph(compilePlan(plan)._unsafeUnwrap());
    const mermaid = renderMermaid(graph);
    const dot = renderDot(graph);
    expect(mermaid).toContain('check: resource');
    expect(mermaid).toContain('resource (k8s)');
    for (const rendered of [mermaid, dot]) {
      expect(rendered).toContain('backup-fresh');
      expect(rendered).toContain('scale-api');
    }
    expect(graph.edges).toContainEqual({ from: 'backup-fresh', to: 'scale-api' });
  });
});
