/** The REST operation a request is, the way the Azure specs name them (`FailoverGroups_Failover`). */
export interface ArmOperation {
  operation: string;
  mutating: boolean;
}

const patterns: ReadonlyArray<[string, RegExp, string]> = [
  ['POST', /\/failoverGroups\/[^/]+\/failover$/i, 'FailoverGroups_Failover'],
  [
    'POST',
    /\/failoverGroups\/[^/]+\/forceFailoverAllowDataLoss$/i,
    'FailoverGroups_ForceFailoverAllowDataLoss',
  ],
  [
    'POST',
    /\/failoverGroups\/[^/]+\/tryPlannedBeforeForcedFailover$/i,
    'FailoverGroups_TryPlannedBeforeForcedFailover',
  ],
  ['GET', /\/failoverGroups\/[^/]+$/i, 'FailoverGroups_Get'],
  ['GET', /\/failoverGroupAzureAsyncOperation\/[^/]+$/i, 'FailoverGroups_GetAsyncOperation'],
  ['GET', /\/failoverGroupOperationResults\/[^/]+$/i, 'FailoverGroups_GetOperationResult'],
  ['GET', /\/trafficmanagerprofiles\/[^/]+$/i, 'Profiles_Get'],
  ['PATCH', /\/trafficmanagerprofiles\/[^/]+$/i, 'Profiles_Update'],
  ['GET', /\/trafficmanagerprofiles\/[^/]+\/[^/]+\/[^/]+$/i, 'Endpoints_Get'],
  ['PATCH', /\/trafficmanagerprofiles\/[^/]+\/[^/]+\/[^/]+$/i, 'Endpoints_Update'],
  ['PUT', /\/trafficmanagerprofiles\/[^/]+\/[^/]+\/[^/]+$/i, 'Endpoints_CreateOrUpdate'],
  ['GET', /\/managedClusters\/[^/]+\/agentPools\/[^/]+$/i, 'AgentPools_Get'],
  ['PUT', /\/managedClusters\/[^/]+\/agentPools\/[^/]+$/i, 'AgentPools_CreateOrUpdate'],
  [
    'GET',
    /\/Microsoft\.ContainerService\/locations\/[^/]+\/operations\/[^/]+$/i,
    'ManagedClusters_GetOperationStatus',
  ],
  ['GET', /\/managedClusters\/[^/]+$/i, 'ManagedClusters_Get'],
  [
    'POST',
    /\/managedClusters\/[^/]+\/listClusterUserCredential$/i,
    'ManagedClusters_ListClusterUserCredentials',
  ],
];

/** POSTs that only read (ARM's `list*` actions): a dry-run may send them. */
const readOnlyPosts = new Set(['ManagedClusters_ListClusterUserCredentials']);

/** Names a request from its method and URL, for `onApiCall` and the report's API-call counts. */
export function armOperation(method: string, url: string): ArmOperation {
  let path = url;
  try {
    path = new URL(url, 'https://management.azure.com').pathname;
  } catch {
    // Keep the raw string; the fallback below still names it.
  }
  const upper = method.toUpperCase();
  const found = patterns.find(([m, pattern]) => m === upper && pattern.test(path));
  const mutating = upper !== 'GET' && upper !== 'HEAD' && !(found && readOnlyPosts.has(found[2]));
  return { operation: found?.[2] ?? `${upper} ${path.split('/').filter(Boolean).at(-1) ?? '/'}`, mutating };
}
