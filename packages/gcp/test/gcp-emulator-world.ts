import { type Emulator, type EmulatorSeed, startEmulator } from '@failover/emulator';
import { OAuth2Client } from 'google-auth-library';
import { createGcp, type GcpProvider, type GcpSettings } from '../src/index.js';

/** The Google Cloud side of the seed runbook (aegis-prod), plus what the conformance suites need. */
export const project = 'aegis-prod';
export const healthCheck = `https://www.googleapis.com/compute/v1/projects/${project}/global/healthChecks/api-hc`;

/** The seed's regional node pool: three zones, no autoscaler. */
export const regionalPool = { cluster: 'aegis-dr', pool: 'primary-pool', region: 'us-central1' };
/** The seed's zonal node pool, with an autoscaler. */
export const zonalPool = { cluster: 'aegis-edge', pool: 'general', region: 'us-east1-b' };

export type GcpSeed = NonNullable<EmulatorSeed['gcp']>;

export function runbookSeed(): GcpSeed {
  return {
    projects: [
      {
        id: project,
        number: '424242424242',
        managedZones: [
          {
            name: 'aegis-zone',
            dnsName: 'aegis.io.',
            recordSets: [
              // The runbook's record: a CNAME to the primary load balancer.
              { name: 'api.aegis.io.', type: 'CNAME', ttl: 300, rrdatas: ['primary-lb.aegis.io.'] },
              {
                name: 'www.aegis.io.',
                type: 'A',
                ttl: 60,
                routingPolicy: {
                  wrr: {
                    items: [
                      { weight: 90, rrdatas: ['198.51.100.10'] },
                      { weight: 10, rrdatas: ['198.51.100.20'] },
                    ],
                  },
                },
              },
              {
                name: 'geo.aegis.io.',
                type: 'A',
                ttl: 60,
                routingPolicy: {
                  geo: {
                    items: [
                      { location: 'us-central1', rrdatas: ['198.51.100.30'] },
                      {
                        location: 'us-east1',
                        healthCheckedTargets: {
                          internalLoadBalancers: [
                            {
                              loadBalancerType: 'regionalL4ilb',
                              ipAddress: '10.128.0.40',
                              port: '443',
                              ipProtocol: 'tcp',
                              networkUrl: `projects/${project}/global/networks/default`,
                              project,
                              region: 'us-east1',
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
              },
              {
                name: 'app.aegis.io.',
                type: 'A',
                ttl: 30,
                routingPolicy: {
                  healthCheck,
                  primaryBackup: {
                    primaryTargets: { externalEndpoints: ['203.0.113.5'] },
                    backupGeoTargets: {
                      items: [
                        {
                          location: 'us-east1',
                          healthCheckedTargets: { externalEndpoints: ['203.0.113.9'] },
                        },
                      ],
                    },
                    trickleTraffic: 0.05,
                  },
                },
              },
            ],
          },
        ],
        sqlInstances: [
          // The runbook's primary: REGIONAL (HA) in us-east1, a DR replica in us-central1.
          {
            name: 'aegis-db',
            region: 'us-east1',
            availabilityType: 'REGIONAL',
            settingsVersion: 7,
            failoverDrReplicaName: 'aegis-db-dr',
          },
          {
            name: 'aegis-db-dr',
            region: 'us-central1',
            masterInstanceName: 'aegis-db',
            replicationLagSeconds: 3,
          },
          { name: 'aegis-db-read', region: 'us-west1', masterInstanceName: 'aegis-db' },
        ],
        gkeClusters: [
          // The runbook's DR cluster: regional, three zones, one node per zone.
          {
            name: 'aegis-dr',
            location: 'us-central1',
            nodePools: [{ name: 'primary-pool', nodeCountPerZone: 1 }],
          },
          {
            name: 'aegis-edge',
            location: 'us-east1-b',
            nodePools: [
              {
                name: 'general',
                nodeCountPerZone: 2,
                autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 5 },
              },
            ],
          },
        ],
      },
    ],
  };
}

export interface GcpWorld {
  emulator: Emulator;
  gcp: GcpProvider;
  auth: OAuth2Client;
  settings: GcpSettings;
  /** Mutating requests the emulator has seen on the Google services. */
  mutating(): number;
  stop(): Promise<void>;
}

/** A fresh emulator on 127.0.0.1 with a manual clock, and `createGcp()` wired to it with a fixed token. */
export async function startGcpWorld(
  options: {
    seed?: GcpSeed;
    auth?: OAuth2Client;
    settings?: Partial<GcpSettings>;
    durations?: Record<string, number>;
    /** Default 0 (a manual clock that client sleeps advance); the executor needs a scaled one. */
    timeScale?: number;
  } = {},
): Promise<GcpWorld> {
  const emulator = await startEmulator({
    timeScale: options.timeScale ?? 0,
    seed: { gcp: options.seed ?? runbookSeed() },
    ...(options.durations && { durations: options.durations }),
  });
  const auth = options.auth ?? new OAuth2Client();
  auth.setCredentials({ access_token: 'ya29.test-token-not-a-secret', expiry_date: Date.now() + 3_600_000 });
  const settings: GcpSettings = {
    project,
    authClient: auth,
    rootUrls: {
      dns: emulator.endpoint('gcp.dns'),
      sqladmin: emulator.endpoint('gcp.sqladmin'),
      container: emulator.endpoint('gcp.container'),
      compute: emulator.endpoint('gcp.compute'),
    },
    time: emulator.clock,
    // One try per request: the tests see each 429, 5xx and reset as it comes.
    retry: { maxAttempts: 1 },
    ...options.settings,
  };
  return {
    emulator,
    gcp: createGcp(settings),
    auth,
    settings,
    mutating: () => emulator.requests.count({ cloud: 'gcp', mutating: true }),
    stop: () => emulator.stop(),
  };
}

/** The emulator operation each provider method's fault hook targets. */
export const emulatorOperations = {
  getRecordSet: ['gcp.dns', 'resourceRecordSets.get'],
  ensureRecordSet: ['gcp.dns', 'changes.create'],
  waitForChange: ['gcp.dns', 'changes.get'],
  describe: ['gcp.sqladmin', 'instances.get'],
  ensureWriter: ['gcp.sqladmin', 'instances.switchover'],
  waitForWriter: ['gcp.sqladmin', 'operations.get'],
  describePool: ['gcp.container', 'projects.locations.clusters.nodePools.get'],
  ensureSize: ['gcp.container', 'projects.locations.clusters.nodePools.setSize'],
  waitForPool: ['gcp.container', 'projects.locations.operations.get'],
} as const;

/** Conformance fault hooks over the emulator's fault injector. */
export function faultHooks(emulator: Emulator) {
  return {
    throttle(operation: keyof typeof emulatorOperations, o: { count: number; retryAfterMs: number }) {
      const [service, name] = emulatorOperations[operation];
      emulator.faults.add({
        fault: 'throttle',
        service,
        operation: name,
        times: o.count,
        retryAfterSeconds: o.retryAfterMs / 1000,
      });
    },
    stuck(operation: keyof typeof emulatorOperations) {
      const [service, name] = emulatorOperations[operation];
      emulator.faults.add({ fault: 'stuck', service, operation: name, times: 1 });
    },
    /** Applied, then a 500: the conformance kit's "answer was lost" case. */
    loseAnswer(operation: keyof typeof emulatorOperations) {
      const [service, name] = emulatorOperations[operation];
      emulator.faults.add({ fault: 'applied-then-500', service, operation: name, times: 1 });
    },
  };
}
