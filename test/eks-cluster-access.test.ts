import { createAws } from '@failover/aws';
import type { ApiCall } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countedTokenReads,
  readCheckoutWithToken,
  resourcesThrough,
  startClusterEmulator,
} from './support/cluster-access.js';

// @failover/kubernetes reaching an EKS cluster from its reference alone, as in a runbook:
// DescribeCluster for the endpoint, an aws-iam-authenticator token signed by the AWS SDK's
// SigV4 signer, both against the emulator (EKS and the cluster's API server).

let emulator: Emulator;
const credentials = { accessKeyId: 'AKIDEMULATOREXAMPLE', secretAccessKey: 'emulator-secret-never-logged' };

beforeAll(async () => {
  emulator = await startClusterEmulator(
    { aws: { eks: { clusters: [{ name: 'ecommerce-prod', region: 'us-west-2', nodegroups: [] }] } } },
    { name: 'eks.us-west-2.ecommerce-prod', region: 'us-west-2', auth: 'eks' },
  );
});
afterAll(() => emulator.stop());

const aws = () =>
  createAws({
    region: 'us-west-2',
    credentials,
    endpoints: { eks: emulator.endpoint('aws.eks') },
    time: emulator.clock,
    clientConfig: { maxAttempts: 1 },
  });

describe('EKS cluster access', () => {
  it('reads the endpoint from DescribeCluster and scales through the API server with a presigned STS token', async () => {
    const access = aws().clusterAccess({ cluster: 'ecommerce-prod' });
    const endpoint = (await access.endpoint())._unsafeUnwrap();
    expect(endpoint.server).toBe(`${emulator.url}/kubernetes/eks.us-west-2.ecommerce-prod`);
    expect(Buffer.from(endpoint.caData ?? '', 'base64').toString()).toMatch(/BEGIN CERTIFICATE/);

    const token = (await access.token())._unsafeUnwrap();
    expect(token.token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(token.token.slice('k8s-aws-v1.'.length), 'base64url').toString());
    expect(url.hostname).toBe('sts.us-west-2.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(token.expiresAt - emulator.clock.now()).toBe(14 * 60_000);

    const provider = resourcesThrough(access, emulator.clock);
    const ensured = (
      await provider.ensureResource(
        { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        { replicas: 2 },
      )
    )._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
  });

  it('renews the token before it expires: a 20-minute-old token would be refused', async () => {
    const { issued, read } = countedTokenReads(
      aws().clusterAccess({ cluster: 'ecommerce-prod' }),
      emulator.clock,
    );
    (await read())._unsafeUnwrap();
    (await read())._unsafeUnwrap();
    expect(issued).toHaveLength(1);
    emulator.clock.advance(20 * 60_000);
    (await read())._unsafeUnwrap();
    expect(issued).toHaveLength(2);
  });

  it('a missing or malformed token is refused with 401, mapped to unauthorized', async () => {
    const error = (
      await readCheckoutWithToken(
        aws().clusterAccess({ cluster: 'ecommerce-prod' }),
        'k8s-aws-v1.bm90LWEtdXJs',
        emulator.clock,
      )
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false });
  });

  it('never puts the token or the secret key in errors or API-call events', async () => {
    const access = aws().clusterAccess({ cluster: 'ecommerce-prod' });
    const token = (await access.token())._unsafeUnwrap().token;
    const calls: ApiCall[] = [];
    const provider = resourcesThrough(access, emulator.clock);
    const missing = await provider.observeResource(
      { kind: 'Deployment', namespace: 'shop', name: 'gone' },
      { onApiCall: (call) => calls.push(call) },
    );
    const error = missing._unsafeUnwrapErr();
    expect(error.kind).toBe('not-found');
    const seen = `${JSON.stringify(error)} ${error.message} ${String(error.stack)} ${JSON.stringify(error.cause)} ${JSON.stringify(calls)}`;
    expect(seen).not.toContain(token.slice(11, 60));
    expect(seen).not.toContain(credentials.secretAccessKey);
  });
});
