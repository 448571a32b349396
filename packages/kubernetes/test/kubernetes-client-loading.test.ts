import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageIndex = fileURLToPath(new URL('../src/index.ts', import.meta.url));

// A plain Node process, so the module graph is loaded as Node loads it for users
// (Vitest has the client loaded for its other test files).
describe('@kubernetes/client-node is loaded on first use', () => {
  it('is not loaded by importing the package, and is by the first connection, which then works', () => {
    // The client is an ES module, but the CommonJS libraries it uses (ws, node-fetch)
    // land in require.cache when it loads: their presence says whether it did.
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(${JSON.stringify(packageIndex)});
      const loaded = () => Object.keys(require.cache).some((path) => /[\\\\/](ws|node-fetch)[\\\\/]/.test(path));
      const kubernetes = await import(${JSON.stringify(packageIndex)});
      const before = loaded();
      const connection = kubernetes.createKubernetesConnection({ server: 'http://127.0.0.1:1', token: 't', name: 'west' });
      const apps = connection.isOk() && typeof connection.value.apps().readNamespacedDeployment;
      console.log(JSON.stringify({ before, after: loaded(), cluster: connection.isOk() && connection.value.cluster, apps }));
    `;
    const child = spawnSync(
      process.execPath,
      ['--conditions=@failover/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      before: false,
      after: true,
      cluster: 'west',
      apps: 'function',
    });
  });
});
