import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { createAksAgentPoolRoutes } from './aks-agent-pools.js';
import { createArmRequestRegion } from './arm-request-region.js';
import { createArmService } from './arm-service.js';
import { createArmWorld } from './arm-world.js';
import { createAzureMonitorMetricRoutes } from './azure-monitor-metrics.js';
import type { AzureSeed } from './azure-seed.js';
import { createBlobService } from './blob-service.js';
import { createSqlFailoverGroupRoutes } from './sql-failover-groups.js';
import { createTrafficManagerRoutes } from './traffic-manager-profiles.js';

export type { AzureMonitorSeed, ScriptedAzureMetricSeed } from './azure-monitor-seed.js';
export type {
  AgentPoolSeed,
  AzureResourceGroupSeed,
  AzureSeed,
  AzureSubscriptionSeed,
  ManagedClusterSeed,
  SqlFailoverGroupSeed,
  SqlServerRefSeed,
  SqlServerSeed,
  TrafficManagerEndpointSeed,
  TrafficManagerEndpointType,
  TrafficManagerProfileSeed,
  TrafficManagerRoutingMethod,
} from './azure-seed.js';

/**
 * The Azure part of the emulator: one Azure Resource Manager service at
 * `/azure` with SQL failover groups, Traffic Manager and AKS agent pools.
 */
export function createAzureServices(context: ServiceContext, seed: AzureSeed = {}): EmulatorService[] {
  const world = createArmWorld(context, seed);
  return [
    createArmService(
      world,
      [
        ...createSqlFailoverGroupRoutes(world, seed),
        ...createTrafficManagerRoutes(world, seed),
        ...createAksAgentPoolRoutes(world, seed),
        ...createAzureMonitorMetricRoutes(context, seed.monitor),
      ],
      createArmRequestRegion(seed),
    ),
    createBlobService(context),
  ];
}
