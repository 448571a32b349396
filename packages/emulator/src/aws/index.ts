import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { createArcClusterServices } from './arc-cluster-service.js';
import { defaultArcClusterRegions } from './arc-seed.js';
import { ArcState } from './arc-state.js';
import type { AwsSeed } from './aws-seed.js';
import { createAwsWorld } from './aws-world.js';
import { CloudWatchScript } from './cloudwatch-script.js';
import { createCloudWatchService } from './cloudwatch-service.js';
import { createEksService } from './eks-service.js';
import { createRdsService } from './rds-service.js';
import { RdsState } from './rds-state.js';
import { createRoute53Service } from './route53-service.js';
import { createS3Service } from './s3-service.js';
import { createSnsService } from './sns-service.js';

export type { ArcSeed, RoutingControlSeed } from './arc-seed.js';
export type {
  AuroraClusterSeed,
  AwsSeed,
  DbInstanceSeed,
  EksClusterSeed,
  EksSeed,
  GlobalClusterSeed,
  HealthCheckSeed,
  HealthCheckTimelineStep,
  HostedZoneSeed,
  NodegroupSeed,
  RdsSeed,
  RecordSetSeed,
  Route53Seed,
} from './aws-seed.js';
export type {
  AlarmStateValue,
  CloudWatchSeed,
  ScriptedAlarmSeed,
  ScriptedMetricSeed,
} from './cloudwatch-script-seed.js';
export { findS3Service, type S3EmulatorService, type S3StoredObject } from './s3-service.js';
export type { SnsSeed, SnsTopicSeed } from './sns-seed.js';
export { findSnsService, type SnsEmulatorService, type SnsPublishedMessage } from './sns-service.js';

/**
 * The AWS services of the emulator: Route 53 (`aws.route53`, REST-XML), RDS
 * (`aws.rds`, Query), EKS (`aws.eks`, REST-JSON) and CloudWatch
 * (`aws.cloudwatch`, awsJson 1.0: the Aurora global database replication lag
 * metric, from the RDS state) and the ARC cluster data plane (`aws.arc.<region>`, five
 * regional endpoints over one routing-control store, read by RECOVERY_CONTROL health
 * checks), and SNS (`aws.sns`, Query: Publish to seeded topics). Point a client at `emulator.endpoint('aws.route53')`
 * etc.; the region comes from its SigV4 signature.
 */
export function createAwsServices(context: ServiceContext, seed: AwsSeed = {}): EmulatorService[] {
  const world = createAwsWorld(seed);
  const rds = new RdsState(context, world.accountId, seed.rds);
  const arc = new ArcState(seed.arc);
  return [
    createRoute53Service(context, world, seed.route53, (arn) => arc.stateOf(arn)),
    createRdsService(context, world, rds),
    createEksService(context, world, seed.eks),
    createCloudWatchService(
      context,
      world,
      rds,
      new CloudWatchScript(
        context.clock.now(),
        world.accountId,
        seed.cloudwatch?.metrics,
        seed.cloudwatch?.alarms,
      ),
    ),
    createSnsService(context, world, seed.sns),
    createS3Service(context, world),
    ...createArcClusterServices(context, world, arc, seed.arc?.clusterRegions ?? defaultArcClusterRegions),
  ];
}
