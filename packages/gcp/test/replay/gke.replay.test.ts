import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from './gcp-replay-server.js';
import { replayGcp } from './replay-gcp.js';

// gcp.gke against recorded answers in the shapes of the GKE v1 and Compute v1
// references (nodePools.get, instanceGroupManagers.get, nodePools.setSize,
// operations.get): a regional pool resized per zone, the operation PENDING first.

const project = 'aegis-prod';
const poolPath = `/v1/projects/${project}/locations/us-central1/clusters/aegis-dr/nodePools/primary-pool`;
const zones = ['us-central1-a', 'us-central1-b', 'us-central1-c'];
const igm = (zone: string) =>
  `/compute/v1/projects/${project}/zones/${zone}/instanceGroupManagers/gke-aegis-dr-primary-pool-1a2b3c4d-grp`;
const group = (zone: string, target: number, running: number) => ({
  kind: 'compute#instanceGroupManager',
  name: 'gke-aegis-dr-primary-pool-1a2b3c4d-grp',
  zone: `https://www.googleapis.com/compute/v1/projects/${project}/zones/${zone}`,
  targetSize: target,
  currentActions: { none: running, creating: target - running, deleting: 0 },
  status: { isStable: target === running },
});
const pool = (status: string) => ({
  name: 'primary-pool',
  config: { machineType: 'e2-standard-4', diskSizeGb: 100 },
  initialNodeCount: 1,
  locations: zones,
  status,
  version: '1.30.5-gke.1014001',
  instanceGroupUrls: zones.map((zone) => `https://www.googleapis.com${igm(zone)}`),
});
const op = (status: string) => ({
  name: 'operation-1765015200000-5e1f',
  zone: 'us-central1',
  operationType: 'SET_NODE_POOL_SIZE',
  status,
  selfLink: `https://container.googleapis.com/v1/projects/424242424242/zones/us-central1/operations/operation-1765015200000-5e1f`,
  targetLink: `https://container.googleapis.com/v1/projects/424242424242/zones/us-central1/clusters/aegis-dr/nodePools/primary-pool`,
  startTime: '2026-12-06T10:00:00.000Z',
});

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('gcp.gke replayed', () => {
  it('a total of 6 on a three-zone pool is setSize 2; PENDING, then DONE, then the nodes', async () => {
    server = await startReplayServer('/gke', [
      { method: 'GET', path: poolPath, response: pool('RUNNING') },
      ...zones.map((zone) => ({ method: 'GET', path: igm(zone), response: group(zone, 1, 1) })),
      { method: 'POST', path: `${poolPath}:setSize`, body: { nodeCount: 2 }, response: op('PENDING') },
      {
        method: 'GET',
        path: `/v1/projects/${project}/locations/us-central1/operations/operation-1765015200000-5e1f`,
        response: op('PENDING'),
      },
      {
        method: 'GET',
        path: `/v1/projects/${project}/locations/us-central1/operations/operation-1765015200000-5e1f`,
        response: { ...op('DONE'), endTime: '2026-12-06T10:02:00.000Z' },
      },
      { method: 'GET', path: poolPath, response: pool('RUNNING') },
      ...zones.map((zone) => ({ method: 'GET', path: igm(zone), response: group(zone, 2, 2) })),
    ]);
    const gke = replayGcp(project, {
      container: `${server.url}/`,
      compute: `${server.url}/`,
    }).clusterScaler();
    const ref = { cluster: 'aegis-dr', pool: 'primary-pool', region: 'us-central1' };
    const ensured = (await gke.ensureSize(ref, { desired: 6 }))._unsafeUnwrap();
    expect(ensured.before).toMatchObject({ desired: 3, ready: 3, zones: 3, autoscaling: false });
    expect(ensured.handle).toMatchObject({ operation: 'setSize', detail: { desired: 6 } });
    const after = (await gke.waitForPool(ensured.handle!, { timeoutMs: 600_000 }))._unsafeUnwrap();
    expect(after).toMatchObject({ desired: 6, ready: 6, status: 'ready' });

    expect(server.unmatched).toEqual([]);
    expect(server.unused()).toEqual([]);
    expect(
      server.requests.map(
        (r) => `${r.method} ${r.path.replace(/^\/(v1|compute\/v1)\/projects\/aegis-prod\//, '')}`,
      ),
    ).toEqual([
      'GET locations/us-central1/clusters/aegis-dr/nodePools/primary-pool',
      ...zones.map(
        (zone) => `GET zones/${zone}/instanceGroupManagers/gke-aegis-dr-primary-pool-1a2b3c4d-grp`,
      ),
      'POST locations/us-central1/clusters/aegis-dr/nodePools/primary-pool:setSize',
      'GET locations/us-central1/operations/operation-1765015200000-5e1f',
      'GET locations/us-central1/operations/operation-1765015200000-5e1f',
      'GET locations/us-central1/clusters/aegis-dr/nodePools/primary-pool',
      ...zones.map(
        (zone) => `GET zones/${zone}/instanceGroupManagers/gke-aegis-dr-primary-pool-1a2b3c4d-grp`,
      ),
    ]);
  });
});
