import type { EmulatorResponse } from '../server/emulator-types.js';
import {
  type ArmAsyncOperation,
  ArmAsyncOperations,
  type ArmOperationError,
} from './arm-async-operations.js';
import { armError, childNotFound, resourceNotFound } from './arm-errors.js';
import type { ArmCall, ArmRoute } from './arm-route.js';
import { type ArmWorld, regionKey } from './arm-world.js';
import type { AzureSeed, SqlFailoverGroupSeed } from './azure-seed.js';

type Role = 'Primary' | 'Secondary';
type FailoverKind = 'planned' | 'forced' | 'tryPlanned';

interface SqlServer {
  id: string;
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  available: boolean;
}

interface FailoverGroup {
  name: string;
  members: Array<{ server: SqlServer; role: Role }>;
  readWriteEndpoint: NonNullable<SqlFailoverGroupSeed['readWriteEndpoint']>;
  readOnlyEndpoint: NonNullable<SqlFailoverGroupSeed['readOnlyEndpoint']>;
  databases: string[];
  tags: Record<string, string>;
  replicationState: string;
  /** Set by a forced failover: the link stays SUSPENDED until re-seeded. */
  suspendedAt?: number;
  running?: ArmAsyncOperation;
}

const base =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Sql/servers/{serverName}';
const groupPath = `${base}/failoverGroups/{failoverGroupName}`;
// SQL's LRO URLs carry the resource group (the REST spec's x-ms-examples, e.g. the 202 Location
// of FailoverGroupTryPlannedBeforeForcedFailover.json at 2023-02-01-preview).
const locationBase =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Sql/locations/{locationName}';

/**
 * `Microsoft.Sql/servers/failoverGroups`: get, list, planned failover,
 * forced failover with data loss and try-planned-before-forced, as LROs that
 * answer 202 with `Azure-AsyncOperation`, `Location` and `Retry-After: 10`. Every
 * member server exposes its own copy of a group with mirrored roles.
 */
export function createSqlFailoverGroupRoutes(world: ArmWorld, seed: AzureSeed): ArmRoute[] {
  const { clock } = world.context;
  const plannedMs = world.context.duration('azure.sql.failover', 50_000);
  const forcedMs = world.context.duration('azure.sql.forcedFailover', 20_000);
  const reseedMs = world.context.duration('azure.sql.reseed', 120_000);

  const servers = new Map<string, SqlServer>();
  const groupsByServer = new Map<string, Map<string, FailoverGroup>>();
  const serverKey = (subscription: string, resourceGroup: string, server: string) =>
    `${subscription}/${resourceGroup}/${server}`.toLowerCase();
  /** Operation id -> the server and group it was called on, for the Location result. */
  const results = new Map<string, { server: SqlServer; group: FailoverGroup }>();

  for (const subscription of seed.subscriptions ?? []) {
    for (const group of subscription.resourceGroups ?? []) {
      for (const server of group.sqlServers ?? []) {
        servers.set(serverKey(subscription.id, group.name, server.name), {
          id: `/subscriptions/${subscription.id}/resourceGroups/${group.name}/providers/Microsoft.Sql/servers/${server.name}`,
          subscription: subscription.id,
          resourceGroup: group.name,
          name: server.name,
          location: server.location,
          available: server.available ?? true,
        });
      }
    }
    for (const groupSeed of subscription.sqlFailoverGroups ?? []) {
      const member = (ref: { resourceGroup: string; server: string }, role: Role) => {
        const server = servers.get(serverKey(subscription.id, ref.resourceGroup, ref.server));
        if (!server) {
          throw new RangeError(
            `azure seed: failover group ${groupSeed.name} names unknown server ${ref.resourceGroup}/${ref.server}`,
          );
        }
        return { server, role };
      };
      const group: FailoverGroup = {
        name: groupSeed.name,
        members: [
          member(groupSeed.primary, 'Primary'),
          ...groupSeed.secondaries.map((ref) => member(ref, 'Secondary')),
        ],
        readWriteEndpoint: groupSeed.readWriteEndpoint ?? {
          failoverPolicy: 'Automatic',
          failoverWithDataLossGracePeriodMinutes: 60,
        },
        readOnlyEndpoint: groupSeed.readOnlyEndpoint ?? { failoverPolicy: 'Disabled' },
        databases: [...(groupSeed.databases ?? [])],
        tags: { ...groupSeed.tags },
        replicationState: groupSeed.replicationState ?? 'CATCH_UP',
      };
      for (const { server } of group.members) {
        const key = serverKey(server.subscription, server.resourceGroup, server.name);
        const byName = groupsByServer.get(key) ?? new Map<string, FailoverGroup>();
        byName.set(group.name.toLowerCase(), group);
        groupsByServer.set(key, byName);
      }
    }
  }

  /** Whether a forced failover left the link suspended (until both ends are up and it has re-seeded). */
  const suspended = (group: FailoverGroup): boolean => {
    if (group.suspendedAt === undefined) return false;
    const reseeded =
      group.members.every((member) => member.server.available) && clock.now() >= group.suspendedAt + reseedMs;
    if (!reseeded) return true;
    group.suspendedAt = undefined;
    return false;
  };

  /**
   * The replication state as one server reports it: the state is per server, so after a
   * forced failover the new primary reads SUSPENDED while its partner still reads the
   * state it had (CATCH_UP).
   */
  const replicationState = (group: FailoverGroup, server: SqlServer): string => {
    const self = group.members.find((member) => member.server === server);
    return suspended(group) && self?.role === 'Primary' ? 'SUSPENDED' : group.replicationState;
  };

  /** The group as seen from one member server. */
  const view = (group: FailoverGroup, server: SqlServer) => {
    const self = group.members.find((member) => member.server === server)!;
    return {
      id: `${server.id}/failoverGroups/${group.name}`,
      name: group.name,
      type: 'Microsoft.Sql/servers/failoverGroups',
      location: server.location,
      tags: { ...group.tags },
      properties: {
        readWriteEndpoint: { ...group.readWriteEndpoint },
        readOnlyEndpoint: { ...group.readOnlyEndpoint },
        replicationRole: self.role,
        replicationState: replicationState(group, server),
        partnerServers: group.members
          .filter((member) => member !== self)
          .map((member) => ({
            id: member.server.id,
            location: member.server.location,
            replicationRole: member.role,
          })),
        databases: group.databases.map((database) => `${server.id}/databases/${database}`),
      },
    };
  };

  const findServer = ({ params }: ArmCall): SqlServer | EmulatorResponse => {
    const scope = world.scopeError(params.subscriptionId!, params.resourceGroupName!);
    if (scope) return scope;
    const server = servers.get(
      serverKey(params.subscriptionId!, params.resourceGroupName!, params.serverName!),
    );
    return (
      server ??
      resourceNotFound(
        'Microsoft.Sql/servers',
        params.serverName!,
        world.resourceGroupName(params.subscriptionId!, params.resourceGroupName!),
      )
    );
  };

  const findGroup = (call: ArmCall): { server: SqlServer; group: FailoverGroup } | EmulatorResponse => {
    const server = findServer(call);
    if (!('id' in server)) return server;
    const group = groupsByServer
      .get(serverKey(server.subscription, server.resourceGroup, server.name))
      ?.get(call.params.failoverGroupName!.toLowerCase());
    return group
      ? { server, group }
      : childNotFound('Microsoft.Sql/servers/failoverGroups', call.params.failoverGroupName!);
  };

  const failover =
    (kind: FailoverKind) =>
    (call: ArmCall): EmulatorResponse => {
      const found = findGroup(call);
      if (!('group' in found)) return found;
      const { server, group } = found;
      if (group.running?.status === 'InProgress') {
        return armError(
          409,
          'FailoverGroupBusy',
          `The failover group '${group.name}' is busy with another operation. Try again later.`,
        );
      }
      const target = group.members.find((member) => member.server === server)!;
      if (target.role === 'Primary') {
        return armError(
          400,
          'FailoverGroupFailoverRequestOnPrimary',
          `Failover of failover group '${group.name}' was requested on server '${server.name}', which is already the primary. Issue it on the secondary server that should become primary.`,
        );
      }
      const primaryUp = () =>
        group.members.find((member) => member.role === 'Primary')?.server.available ?? false;
      const forced = kind === 'forced' || (kind === 'tryPlanned' && !primaryUp());
      const operation = world.operations.start({
        namespace: 'Microsoft.Sql',
        durationMs: forced ? forcedMs : plannedMs,
        stuck: call.stuck,
        complete: () => complete(group, server, forced),
      });
      group.running = operation;
      results.set(operation.id, { server, group });
      const region = regionKey(server.location);
      const statusPath = `/subscriptions/${server.subscription}/resourceGroups/${server.resourceGroup}/providers/Microsoft.Sql/locations/${region}`;
      return {
        status: 202,
        headers: {
          'azure-asyncoperation': world.lroUrl(
            `${statusPath}/failoverGroupAzureAsyncOperation/${operation.id}`,
            call.apiVersion,
          ),
          location: world.lroUrl(
            `${statusPath}/failoverGroupOperationResults/${operation.id}`,
            call.apiVersion,
          ),
          // What the service asks for before the first poll; the polls themselves carry none.
          'retry-after': '10',
        },
        // The spec's 202 has no body (its x-ms-examples show none).
      };
    };

  /** Applies a failover when its operation is due. */
  function complete(group: FailoverGroup, target: SqlServer, forced: boolean): ArmOperationError | undefined {
    const primary = group.members.find((member) => member.role === 'Primary');
    if (!target.available) {
      return {
        code: 'FailoverGroupFailoverFailed',
        message: `Server '${target.name}' is unavailable; the failover of '${group.name}' could not complete.`,
      };
    }
    if (!forced && suspended(group)) {
      return {
        code: 'FailoverGroupFailoverFailed',
        message: `The planned failover of '${group.name}' cannot complete while replication is SUSPENDED after a forced failover; wait for the link to re-seed or use a forced failover.`,
      };
    }
    if (!forced && primary && !primary.server.available) {
      return {
        code: 'FailoverGroupFailoverFailed',
        message: `The planned failover of '${group.name}' could not reach the primary server '${primary.server.name}'. Use a forced failover (allow data loss) when the primary region is down.`,
      };
    }
    for (const member of group.members) member.role = member.server === target ? 'Primary' : 'Secondary';
    if (forced) group.suspendedAt = clock.now();
    return undefined;
  }

  const operationFor = (call: ArmCall): ArmAsyncOperation | EmulatorResponse => {
    const scope = world.scopeError(call.params.subscriptionId!, call.params.resourceGroupName!);
    if (scope) return scope;
    const operation = world.operations.get('Microsoft.Sql', call.params.operationId!);
    return (
      operation ??
      armError(404, 'ResourceNotFound', `The operation '${call.params.operationId}' was not found.`)
    );
  };

  return [
    {
      method: 'GET',
      pattern: base,
      operation: 'Servers_Get',
      handle(call) {
        const server = findServer(call);
        if (!('id' in server)) return server;
        return {
          status: 200,
          body: {
            id: server.id,
            name: server.name,
            type: 'Microsoft.Sql/servers',
            location: server.location,
            kind: 'v12.0',
            properties: {
              version: '12.0',
              state: 'Ready',
              fullyQualifiedDomainName: `${server.name.toLowerCase()}.database.windows.net`,
            },
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: `${base}/failoverGroups`,
      operation: 'FailoverGroups_ListByServer',
      handle(call) {
        const server = findServer(call);
        if (!('id' in server)) return server;
        const groups = groupsByServer.get(serverKey(server.subscription, server.resourceGroup, server.name));
        return {
          status: 200,
          body: { value: [...(groups?.values() ?? [])].map((group) => view(group, server)) },
        };
      },
    },
    {
      method: 'GET',
      pattern: groupPath,
      operation: 'FailoverGroups_Get',
      handle(call) {
        const found = findGroup(call);
        if (!('group' in found)) return found;
        return { status: 200, body: view(found.group, found.server) };
      },
    },
    {
      method: 'POST',
      pattern: `${groupPath}/failover`,
      operation: 'FailoverGroups_Failover',
      handle: failover('planned'),
    },
    {
      method: 'POST',
      pattern: `${groupPath}/forceFailoverAllowDataLoss`,
      operation: 'FailoverGroups_ForceFailoverAllowDataLoss',
      handle: failover('forced'),
    },
    {
      method: 'POST',
      pattern: `${groupPath}/tryPlannedBeforeForcedFailover`,
      operation: 'FailoverGroups_TryPlannedBeforeForcedFailover',
      // In the REST specs from 2023-02-01-preview on (and every later stable version).
      minApiVersion: '2023-02-01-preview',
      handle: failover('tryPlanned'),
    },
    {
      method: 'GET',
      pattern: `${locationBase}/failoverGroupAzureAsyncOperation/{operationId}`,
      operation: 'FailoverGroups_GetAsyncOperation',
      handle(call) {
        const operation = operationFor(call);
        if (!('id' in operation)) return operation;
        return {
          status: 200,
          body: ArmAsyncOperations.statusBody(operation),
        };
      },
    },
    {
      method: 'GET',
      pattern: `${locationBase}/failoverGroupOperationResults/{operationId}`,
      operation: 'FailoverGroups_GetOperationResult',
      handle(call) {
        const operation = operationFor(call);
        if (!('id' in operation)) return operation;
        const result = results.get(operation.id);
        if (operation.status === 'InProgress' || !result) {
          const url = world.lroUrl(call.request.path, call.apiVersion);
          return { status: 202, headers: { location: url } };
        }
        if (operation.status === 'Failed') {
          return armError(
            400,
            operation.error?.code ?? 'Failed',
            operation.error?.message ?? 'The operation failed.',
          );
        }
        return { status: 200, body: view(result.group, result.server) };
      },
    },
  ];
}
