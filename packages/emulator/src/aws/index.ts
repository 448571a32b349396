import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';
import type { AwsSeed } from './aws-seed.js';
import { createAwsWorld } from './aws-world.js';
import { createEksService } from './eks-service.js';
import { createRdsService } from './rds-service.js';
import { createRoute53Service } from './route53-service.js';

export type {
  AuroraClusterSeed,
  AwsSeed,
  DbInstanceSeed,
  EksClusterSeed,
  EksSeed,
  GlobalClusterSeed,
  HealthCheckSeed,
  HostedZoneSeed,
  NodegroupSeed,
  RdsSeed,
  RecordSetSeed,
  Route53Seed,
} from './aws-seed.js';

/**
 * The AWS services of the emulator: Route 53 (`aws.route53`, REST-XML), RDS
 * (`aws.rds`, Query) and EKS (`aws.eks`, REST-JSON). Point a client at
 * `emulator.endpoint('aws.route53')` etc.; the region comes from its SigV4 signature.
 */
export function createAwsServices(context: ServiceContext, seed: AwsSeed = {}): EmulatorService[] {
  const world = createAwsWorld(seed);
  return [
    createRoute53Service(context, world, seed.route53),
    createRdsService(context, world, seed.rds),
    createEksService(context, world, seed.eks),
  ];
}
