import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporaryInstall,
  esbuildBin,
  installBuilt,
  linkDependency,
  node,
  run,
  type TemporaryInstall,
  withFileAlone,
} from '../../../test/support/built-dist.js';

// The ESM build reaches `@kubernetes/client-node` synchronously (for
// `createKubernetesConnection`) through a generated `dist/kubernetes-client-require.cjs`
// (tsup.config.ts): a plain `require` that bundlers follow, where they cannot follow
// `createRequire`. These tests build this package's dist and core's (ESM only, no
// declarations, under a second each) into a temporary install, as a user gets them, and
// run, in Node processes of their own, the dist as installed and esbuild bundles of an app
// (as for a Lambda or a CLI) away from any node_modules, against the emulator's API server.

const kubernetesPackage = fileURLToPath(new URL('..', import.meta.url));
const corePackage = fileURLToPath(new URL('../../core', import.meta.url));
const requireFromKubernetes = createRequire(join(kubernetesPackage, 'package.json'));
const requireFromCore = createRequire(join(corePackage, 'package.json'));

let install: TemporaryInstall;
let work: string;
let app: string;
let emulator: Emulator;

beforeAll(async () => {
  install = createTemporaryInstall('failover-kubernetes-dist-');
  ({ work, app } = install);
  await Promise.all([
    installBuilt(app, corePackage, '@failover/core'),
    installBuilt(app, kubernetesPackage, '@failover/kubernetes'),
  ]);
  linkDependency(app, 'neverthrow', requireFromCore);
  linkDependency(app, 'zod', requireFromCore);
  linkDependency(app, '@kubernetes/client-node', requireFromKubernetes);
  emulator = await startEmulator({
    timeScale: 0,
    seed: {
      kubernetes: {
        clusters: [
          {
            name: 'dr-west',
            workloads: [{ kind: 'Deployment', name: 'checkout', namespace: 'shop', replicas: 3 }],
          },
        ],
      },
    },
  });
  const server = `${emulator.endpoint('kubernetes.apps')}/dr-west`;
  writeFileSync(
    join(work, 'kubeconfig'),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // The emulator speaks plain HTTP, which the client allows only without TLS verification.
      clusters: [{ name: 'dr-west', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'sa', user: { token: 't0k' } }],
      contexts: [{ name: 'west', context: { cluster: 'dr-west', user: 'sa' } }],
      'current-context': 'west',
    }),
  );
  writeFileSync(join(app, 'reach.mjs'), reachModule(server, join(work, 'kubeconfig')));
  writeFileSync(join(app, 'bundled-app.mjs'), bundledApp);
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  install?.remove();
});

/**
 * Reads the checkout Deployment through both ways the package loads the client: a
 * connection from the kubeconfig (the synchronous `require`) and one from a cluster
 * access (the asynchronous `import()`), and says whether both hold the same client
 * (one copy: a KubeConfig of one is a KubeConfig of the other). No top-level await,
 * so that esbuild can also bundle it as CommonJS.
 */
function reachModule(server: string, kubeconfig: string): string {
  return `
import { okAsync } from '@failover/core';
import { connectionFromAccess, createKubernetesConnection } from '@failover/kubernetes';
const replicas = (connection) =>
  connection
    .call('readNamespacedDeployment', () => connection.apps().readNamespacedDeployment({ namespace: 'shop', name: 'checkout' }))
    .map((deployment) => deployment.spec.replicas)
    .unwrapOr('failed');
export function reachCluster() {
  const fromKubeconfig = createKubernetesConnection({ kubeconfig: { file: ${JSON.stringify(kubeconfig)} } });
  if (fromKubeconfig.isErr()) return Promise.resolve({ connected: false, error: fromKubeconfig.error.message });
  const connection = fromKubeconfig.value;
  const fromAccess = connectionFromAccess({
    cluster: 'dr-west',
    endpoint: () => okAsync({ server: ${JSON.stringify(server)} }),
    token: () => okAsync({ token: 't0k', expiresAt: Number.MAX_SAFE_INTEGER }),
  });
  return Promise.all([replicas(connection), replicas(fromAccess)]).then(([viaKubeconfig, viaAccess]) => ({
    connected: true,
    cluster: connection.cluster,
    viaKubeconfig,
    viaAccess,
    oneClient: fromAccess.getInstance() instanceof connection.getInstance().constructor,
  }));
}
`;
}

/** The app esbuild bundles: reaches the cluster and prints what it saw. */
const bundledApp = `
import { reachCluster } from './reach.mjs';
reachCluster().then((seen) => console.log(JSON.stringify(seen)));
`;

const readBoth = { connected: true, cluster: 'dr-west', viaKubeconfig: 3, viaAccess: 3, oneClient: true };

describe("kubernetes' built dist", () => {
  it('loads the client on the first connection, through the generated require, and reaches the cluster', async () => {
    // The client's CommonJS dependencies (ws, node-fetch) land in require.cache when it loads.
    const script = `
import { createRequire } from 'node:module';
const cached = () => Object.keys(createRequire(import.meta.url).cache);
const loaded = () => cached().some((path) => /[\\\\/](ws|node-fetch)[\\\\/]/.test(path));
const { reachCluster } = await import('./reach.mjs');
const before = loaded();
const seen = await reachCluster();
console.log(JSON.stringify({
  before,
  after: loaded(),
  throughRequire: cached().some((path) => path.endsWith('/@failover/kubernetes/dist/kubernetes-client-require.cjs')),
  ...seen,
}));
`;
    writeFileSync(join(app, 'installed.mjs'), script);
    expect(await node('installed.mjs', app)).toEqual({
      before: false,
      after: true,
      throughRequire: true,
      ...readBoth,
    });
  });

  // esbuild's default for Node is CommonJS (as AWS CDK's NodejsFunction). An ESM bundle
  // needs `require` defined for the CommonJS libraries the client uses (ws, node-fetch
  // `require` Node's built-ins): the usual banner does that, from the bundle's own
  // location, where there is no node_modules.
  it.each([
    ['CommonJS', 'bundle.cjs', ['--format=cjs']],
    [
      'ESM',
      'bundle.mjs',
      [
        '--format=esm',
        "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      ],
    ],
  ])(
    'bundles with esbuild as %s into one file that runs with no node_modules in reach',
    async (_format, bundle, formatOptions) => {
      const outfile = join(app, bundle);
      await run(
        esbuildBin,
        [
          'bundled-app.mjs',
          '--bundle',
          '--platform=node',
          `--outfile=${outfile}`,
          '--log-level=error',
          ...formatOptions,
        ],
        app,
      );
      // One copy of the client in the bundle (esbuild names each module it holds in a comment).
      const clientConfigModules = readFileSync(outfile, 'utf8').match(
        /^\/\/ .*@kubernetes\/client-node\/dist\/config\.js$/gm,
      );
      expect(clientConfigModules).toHaveLength(1);
      // Away from the install: anything the bundle left unresolved would fail to load.
      // node-fetch 2's URL parser (whatwg-url, tr46) requires Node's `punycode`, which Node 22
      // reports as deprecated when the caller is outside node_modules, as bundled code is.
      expect(
        await withFileAlone('failover-kubernetes-bundle-', outfile, (alone) =>
          node(bundle, alone, ['--disable-warning=DEP0040']),
        ),
      ).toEqual(readBoth);
    },
  );
});
