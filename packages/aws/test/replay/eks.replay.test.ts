import { afterEach, describe, expect, it } from 'vitest';
import { type AwsReplayServer, awsOnReplay, restJson, startAwsReplayServer } from './aws-replay-server.js';

// aws.eks against answers in the shapes of the Amazon EKS API reference
// (docs.aws.amazon.com/eks/latest/APIReference): DescribeNodegroup (Response
// Syntax: nodegroup with scalingConfig, status, health), UpdateNodegroupConfig
// (POST /clusters/{name}/node-groups/{nodegroupName}/update-config, answered with
// an Update: id, status InProgress, type ConfigUpdate, params) and DescribeUpdate
// (GET /clusters/{name}/updates/{updateId}?nodegroupName=). The values (cluster,
// group, sizes, ARN, update id) are ours, written in those shapes; they are not
// copied from a published example.

const cluster = 'ecommerce-prod';
const group = 'primary';
const arn = `arn:aws:eks:us-west-2:111122223333:nodegroup/${cluster}/${group}/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`;
const updateId = 'b5f0ba18-9a87-4450-b5a0-825e6e84496f';

const nodegroup = (status: string, scaling: { minSize: number; maxSize: number; desiredSize: number }) => ({
  nodegroup: {
    nodegroupName: group,
    nodegroupArn: arn,
    clusterName: cluster,
    version: '1.31',
    releaseVersion: '1.31.0-20241024',
    createdAt: 1733400000,
    modifiedAt: 1733486400,
    status,
    capacityType: 'ON_DEMAND',
    scalingConfig: scaling,
    instanceTypes: ['m5.large'],
    subnets: ['subnet-0e2907431c9988b72'],
    amiType: 'AL2023_x86_64_STANDARD',
    nodeRole: 'arn:aws:iam::111122223333:role/eks-node-role',
    resources: {
      autoScalingGroups: [{ name: 'eks-primary-a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' }],
    },
    diskSize: 20,
    health: { issues: [] },
    updateConfig: { maxUnavailable: 1 },
    tags: {},
  },
});
const update = (status: string) => ({
  update: {
    id: updateId,
    status,
    type: 'ConfigUpdate',
    params: [
      { type: 'MinSize', value: '3' },
      { type: 'MaxSize', value: '10' },
      { type: 'DesiredSize', value: '6' },
    ],
    createdAt: 1733486460,
    errors: [],
  },
});

let server: AwsReplayServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function eksOn(replay: AwsReplayServer) {
  return awsOnReplay(replay, { region: 'us-west-2' }).clusterScaler();
}

describe('aws.eks replayed', () => {
  it('reads the pool, sends scalingConfig {3, 10, 6}, and waits until the update is Successful and the group ACTIVE', async () => {
    const groupPath = `/clusters/${cluster}/node-groups/${group}`;
    const updatePath = `/clusters/${cluster}/updates/${updateId}`;
    server = await startAwsReplayServer([
      restJson('/eks', 'GET', groupPath, nodegroup('ACTIVE', { minSize: 1, maxSize: 10, desiredSize: 2 })),
      restJson('/eks', 'GET', groupPath, nodegroup('ACTIVE', { minSize: 1, maxSize: 10, desiredSize: 2 })),
      restJson('/eks', 'POST', `${groupPath}/update-config`, update('InProgress')),
      restJson('/eks', 'GET', updatePath, update('InProgress')),
      restJson('/eks', 'GET', updatePath, update('Successful')),
      restJson('/eks', 'GET', groupPath, nodegroup('ACTIVE', { minSize: 3, maxSize: 10, desiredSize: 6 })),
    ]);
    const eks = eksOn(server);
    const ref = { cluster, pool: group, region: 'us-west-2' };
    expect((await eks.describePool(ref))._unsafeUnwrap()).toEqual({
      cluster,
      pool: group,
      region: 'us-west-2',
      desired: 2,
      min: 1,
      max: 10,
      ready: 2,
      autoscaling: false,
      status: 'ready',
      rawStatus: 'ACTIVE',
    });
    const ensured = (await eks.ensureSize(ref, { min: 3, desired: 6 }))._unsafeUnwrap();
    expect(ensured).toMatchObject({
      changed: true,
      before: { desired: 2, min: 1, max: 10 },
      handle: { operation: 'UpdateNodegroupConfig', detail: { min: 3, max: 10, desired: 6 } },
    });
    const after = (await eks.waitForPool(ensured.handle!, { timeoutMs: 3_600_000 }))._unsafeUnwrap();
    expect(after).toMatchObject({ desired: 6, min: 3, max: 10, ready: 6, status: 'ready' });

    expect(server.unmatched).toEqual([]);
    expect(server.unused()).toEqual([]);
    const read = { method: 'GET', path: groupPath, query: {} };
    const poll = { method: 'GET', path: updatePath, query: { nodegroupName: group } };
    expect(server.requests.map(({ method, path, query }) => ({ method, path, query }))).toEqual([
      read,
      read, // ensure observes again before it acts
      { method: 'POST', path: `${groupPath}/update-config`, query: {} },
      poll,
      poll,
      read,
    ]);
    const sent = JSON.parse(server.requests[2]!.body) as Record<string, unknown>;
    // Only the scaling config changes (no labels, taints or updateConfig), with an idempotency token.
    expect(sent).toEqual({
      scalingConfig: { minSize: 3, maxSize: 10, desiredSize: 6 },
      clientRequestToken: expect.any(String),
    });
  });
});
