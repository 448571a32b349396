// Binds the multi-cloud region-outage plan's providers to the real adapters on the emulator:
// the nine of examples/multi-cloud, plus the ARC routing controls of the AWS name. Seeds Cloud
// Aegis as before the outage, and names the outage for `failover drill --scenario region-outage`.
import { createAws } from '@failover/aws';
import { defineProviders } from '@failover/cli';
import type { EmulatorSeed, RegionBlackout } from '@failover/emulator';
import { aegis } from '../multi-cloud/plan.js';
import { emulatorProviders, seed as plannedSeed } from '../multi-cloud/providers.js';
import { outage } from './plan.js';

const panel = 'arn:aws:route53-recovery-control::123456789012:controlpanel/ae915a0000panel';
/** One routing control per AWS region; each gates that region's Route 53 failover record. */
export const routingControls = {
  [aegis.aws.primaryRegion]: `${panel}/routingcontrol/aegisuse100000a`,
  [aegis.aws.drRegion]: `${panel}/routingcontrol/aegisusw200000b`,
};
/** The ARC cluster's five regional endpoints (DescribeCluster's ClusterEndpoints). */
export const clusterRegions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-2'];
const values = {
  [aegis.aws.primaryRegion]: ['primary-nlb.us-east-1.elb.amazonaws.com'],
  [aegis.aws.drRegion]: ['dr-nlb.us-west-2.elb.amazonaws.com'],
};

/**
 * Cloud Aegis before the outage: the planned example's Azure and Google Cloud stacks as they
 * are, and its AWS stack with `aws.api.aegis.io` gated by ARC routing controls
 * (RECOVERY_CONTROL health checks) instead of health checks on the load balancers.
 */
export const seed: EmulatorSeed = {
  ...plannedSeed,
  aws: {
    ...plannedSeed.aws,
    arc: {
      clusterRegions,
      routingControls: Object.values(routingControls).map((arn) => ({ arn, state: 'On' as const })),
    },
    route53: {
      healthChecks: Object.entries(routingControls).map(([region, arn]) => ({
        id: `hc-arc-${region}`,
        type: 'RECOVERY_CONTROL' as const,
        routingControlArn: arn,
      })),
      hostedZones: [
        {
          id: 'Z0AEGIS00000001',
          name: aegis.aws.record.zone,
          recordSets: [aegis.aws.primaryRegion, aegis.aws.drRegion].map((region) => ({
            name: outage.awsName,
            type: 'CNAME',
            ttl: 60,
            values: values[region]!,
            setIdentifier: region,
            failover: region === aegis.aws.primaryRegion ? ('PRIMARY' as const) : ('SECONDARY' as const),
            healthCheckId: `hc-arc-${region}`,
          })),
        },
      ],
    },
  },
};

/** `failover drill --scenario <name>`: what goes dark after the warm-up pass and before the run. */
export const scenarios: Record<string, { description: string; blackouts: RegionBlackout[] }> = {
  'region-outage': {
    description:
      'The primary region of every cloud goes dark: AWS us-east-1 (Route 53’s control plane with it) drops connections, Azure East US and Google Cloud us-east1 answer 503',
    blackouts: [
      { cloud: 'aws', region: aegis.aws.primaryRegion, mode: 'drop' },
      { cloud: 'azure', region: aegis.azure.primaryRegion, mode: 'unavailable' },
      { cloud: 'gcp', region: aegis.gcp.primaryRegion, mode: 'unavailable' },
    ],
  },
};

/** Any SigV4 signature passes: the emulator reads the region from the credential scope. */
const awsCredentials = { accessKeyId: 'AKIDEMULATOREXAMPLE', secretAccessKey: 'emulator-not-a-secret' };

export default defineProviders(({ emulator }) => {
  if (!emulator) {
    throw new Error(
      'These providers are bound to the emulator: use `failover drill`, or `failover run --emulator`.',
    );
  }
  const aws = createAws({
    region: aegis.aws.drRegion,
    credentials: awsCredentials,
    endpoints: {
      route53: `${emulator.url}/aws/route53`,
      rds: `${emulator.url}/aws/rds`,
      eks: `${emulator.url}/aws/eks`,
      cloudwatch: `${emulator.url}/aws/monitoring`,
    },
    time: emulator.clock,
    clientConfig: { maxAttempts: 1 },
  });
  return {
    ...emulatorProviders(emulator),
    'aws-arc': aws.arcRoutingControls({
      clusterEndpoints: clusterRegions.map((region) => ({
        region,
        endpoint: `${emulator.url}/aws/arc/${region}`,
      })),
      records: {
        [outage.awsName]: {
          targets: [aegis.aws.primaryRegion, aegis.aws.drRegion].map((region) => ({
            id: region,
            routingControlArn: routingControls[region]!,
            values: values[region]!,
          })),
        },
      },
      // Two emulated minutes per endpoint before the next is tried (200 ms of real time at 600x).
      endpointTimeoutMs: 120_000,
    }),
  };
});
