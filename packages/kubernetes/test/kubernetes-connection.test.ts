import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKubernetesConnection, type KubernetesConnection } from '../src/index.js';
import { startKubernetesEmulator } from './kubernetes-emulator.js';

const token = 'sa-token-3f9a1c0b7e';
const readerToken = 'reader-token-77d2e1';
let emulator: Emulator;
let server: string;

beforeAll(async () => {
  ({ emulator, server } = await startKubernetesEmulator({
    name: 'dr-west',
    workloads: [{ kind: 'Deployment', name: 'checkout', namespace: 'shop', replicas: 2 }],
    readOnlyTokens: [readerToken],
  }));
});
// The kubeconfig files the tests write (they hold a token): removed with the run.
const kubeconfigDirs: string[] = [];
afterAll(async () => {
  for (const dir of kubeconfigDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  await emulator.stop();
});

function connect(withToken = token): KubernetesConnection {
  return createKubernetesConnection({
    server,
    token: withToken,
    name: 'dr-west',
    skipTlsVerify: true,
  })._unsafeUnwrap();
}

const read = (connection: KubernetesConnection, name = 'checkout') =>
  connection.call('readNamespacedDeployment', () =>
    connection.apps().readNamespacedDeployment({ name, namespace: 'shop' }),
  );

function kubeconfigFile(context: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  kubeconfigDirs.push(dir);
  const file = join(dir, 'config');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'dr-west', cluster: { server, 'insecure-skip-tls-verify': true } },
        { name: 'elsewhere', cluster: { server: 'http://127.0.0.1:1' } },
      ],
      users: [{ name: 'sa', user: { token } }],
      contexts: [
        { name: 'west', context: { cluster: 'dr-west', user: 'sa' } },
        { name: 'other', context: { cluster: 'elsewhere', user: 'sa' } },
      ],
      'current-context': context,
    }),
  );
  return file;
}

describe('connecting to a cluster', () => {
  it('reads through an explicit server and token', async () => {
    const deployment = (await read(connect()))._unsafeUnwrap();
    expect(deployment.spec?.replicas).toBe(2);
  });

  it('reads through a kubeconfig file and a named context', async () => {
    const file = kubeconfigFile('other');
    const connection = createKubernetesConnection({ kubeconfig: { file, context: 'west' } })._unsafeUnwrap();
    expect(connection.cluster).toBe('dr-west');
    expect((await read(connection))._unsafeUnwrap().metadata?.name).toBe('checkout');
  });

  it('follows the default loading rules (KUBECONFIG)', async () => {
    vi.stubEnv('KUBECONFIG', kubeconfigFile('west'));
    try {
      const connection = createKubernetesConnection({ kubeconfig: {} })._unsafeUnwrap();
      expect((await read(connection))._unsafeUnwrap().spec?.replicas).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('fails as invalid-input for a missing context or file, without contacting anything', () => {
    const before = emulator.requests.count({ cloud: 'kubernetes' });
    const file = kubeconfigFile('west');
    expect(
      createKubernetesConnection({ kubeconfig: { file, context: 'nope' } })._unsafeUnwrapErr().kind,
    ).toBe('invalid-input');
    expect(
      createKubernetesConnection({
        kubeconfig: { file: join(tmpdir(), 'no-such-kubeconfig') },
      })._unsafeUnwrapErr().kind,
    ).toBe('invalid-input');
    expect(emulator.requests.count({ cloud: 'kubernetes' })).toBe(before);
  });
});

describe('errors from the API server', () => {
  it('maps 404 to not-found with the Status reason', async () => {
    const error = (await read(connect(), 'nope'))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'not-found', retryable: false, provider: 'kubernetes' });
    expect(error.cause).toMatchObject({ httpStatus: 404, reason: 'NotFound' });
  });

  it('maps an RBAC 403 to unauthorized, and keeps the token out of the error', async () => {
    const connection = connect(readerToken);
    const error = (
      await connection.call('patchNamespacedDeploymentScale', () =>
        connection.apps().replaceNamespacedDeploymentScale({
          name: 'checkout',
          namespace: 'shop',
          body: { spec: { replicas: 3 } },
        }),
      )
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false });
    expect(error.message).toContain('forbidden');
    const everything = `${JSON.stringify(error)} ${String(error.stack)} ${JSON.stringify(error.cause)}`;
    expect(everything).not.toContain(readerToken);
  });

  it('maps 429 to a retryable throttle carrying Retry-After', async () => {
    emulator.faults.add({ fault: 'throttle', operation: 'readDeployment', times: 1, retryAfterSeconds: 7 });
    const error = (await read(connect()))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'throttled', retryable: true, retryAfterMs: 7000 });
  });

  it('maps 5xx to a retryable unavailable', async () => {
    emulator.faults.add({ fault: 'server-error', operation: 'readDeployment', times: 1 });
    expect((await read(connect()))._unsafeUnwrapErr()).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });

  it('maps a refused connection to unavailable', async () => {
    const connection = createKubernetesConnection({
      server: 'http://127.0.0.1:1',
      token,
      skipTlsVerify: true,
    })._unsafeUnwrap();
    const error = (await read(connection))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(JSON.stringify(error)).not.toContain(token);
  });
});
