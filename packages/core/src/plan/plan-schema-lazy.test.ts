import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const coreIndex = fileURLToPath(new URL('../index.ts', import.meta.url));

// A plain Node process, so the module graph is loaded as Node loads it for users (Vitest
// would have loaded zod for its own reasons).
describe('zod is loaded lazily', () => {
  it('is not loaded by importing core, and is by the first validation, which still finds every problem', () => {
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(${JSON.stringify(coreIndex)});
      const loaded = () => Object.keys(require.cache).some((path) => path.includes('/zod/'));
      const core = await import(${JSON.stringify(coreIndex)});
      const before = loaded();
      const bad = core.validatePlan({ version: 1, id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b',
        steps: [{ id: 'g', kind: 'group', mode: 'parallel', steps: [{ id: 'w', kind: 'wait', durationMs: -1 }] }] });
      const good = core.definePlan({ id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b' })
        .step(core.wait('w', 1000)).build();
      const schema = core.failoverPlanJsonSchema();
      console.log(JSON.stringify({ before, after: loaded(), problems: bad._unsafeUnwrapErr().problems.map((p) => p.path),
        built: good.isOk(), defs: Object.keys(schema.$defs) }));
    `;
    const child = spawnSync(
      process.execPath,
      ['--conditions=@failover/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    const seen = JSON.parse(child.stdout) as {
      before: boolean;
      after: boolean;
      problems: string[];
      built: boolean;
      defs: string[];
    };
    expect(seen.before).toBe(false);
    expect(seen.after).toBe(true);
    expect(seen.problems).toEqual(['steps[0].steps[0].durationMs']);
    expect(seen.built).toBe(true);
    expect(seen.defs).toContain('PlanStep');
  });

  it('defines the schemas when another module uses them at its top level, as the schema script does', () => {
    const script = `
      import { failoverPlanJsonSchema, parsePlan } from ${JSON.stringify(pathToFileURL(coreIndex).href)};
      const schema = failoverPlanJsonSchema();
      const parsed = parsePlan({ version: 1, id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b', steps: [] });
      console.log(JSON.stringify({ type: schema.type, defs: Object.keys(schema.$defs ?? {}).length,
        problems: parsed._unsafeUnwrapErr().problems.map((p) => p.path) }));
    `;
    const child = spawnSync(
      process.execPath,
      ['--conditions=@failover/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ type: 'object', defs: 14, problems: ['steps'] });
  });
});
