import { regionKey } from './arm-world.js';
import type { AzureSeed } from './azure-seed.js';

/**
 * The region an ARM request is about, from its path parameters, or undefined for a
 * global resource (a Traffic Manager profile) or one the seed does not hold.
 */
export type ArmRequestRegion = (params: Readonly<Record<string, string>>) => string | undefined;

/**
 * ARM's front door is global, so the host of a request names no region; the resource
 * provider that serves it runs in the resource's region. So a request is attributed to the
 * `location` of the resource its path addresses: a SQL server's (a failover group is read
 * and failed over through one of its member servers: that server's), a managed cluster's, or
 * the location a polling URL names (`.../locations/{location}/...`). A regional blackout then
 * fails the requests about its resources while the front door still answers the others, as on
 * the real day. Region names compare as `regionKey` (`East US` is `eastus`).
 */
export function createArmRequestRegion(seed: AzureSeed): ArmRequestRegion {
  const locations = new Map<string, string>();
  const resourceKey = (subscription: string, group: string, type: string, name: string) =>
    `${subscription}/${group}/${type}/${name}`.toLowerCase();
  for (const subscription of seed.subscriptions ?? []) {
    for (const group of subscription.resourceGroups ?? []) {
      for (const server of group.sqlServers ?? []) {
        locations.set(resourceKey(subscription.id, group.name, 'sql', server.name), server.location);
      }
      for (const cluster of group.managedClusters ?? []) {
        locations.set(resourceKey(subscription.id, group.name, 'aks', cluster.name), cluster.location);
      }
    }
  }
  return (params) => {
    const named = params.locationName ?? params.location;
    if (named !== undefined) return regionKey(named);
    const { subscriptionId = '', resourceGroupName = '' } = params;
    const location =
      params.serverName !== undefined
        ? locations.get(resourceKey(subscriptionId, resourceGroupName, 'sql', params.serverName))
        : params.resourceName !== undefined
          ? locations.get(resourceKey(subscriptionId, resourceGroupName, 'aks', params.resourceName))
          : undefined;
    return location === undefined ? undefined : regionKey(location);
  };
}
