import type { EmulatorRequest, EmulatorResponse } from '../server/emulator-types.js';

export type ArmMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

/** What a route handler gets: the captured path parameters and the request. */
export interface ArmCall {
  params: Record<string, string>;
  request: EmulatorRequest;
  apiVersion: string;
  /** A `stuck` fault applies: a long-running operation started now never finishes. */
  stuck: boolean;
}

/** One ARM operation: a method and a path pattern whose literal segments match without case. */
export interface ArmRoute {
  method: ArmMethod;
  /** e.g. `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Sql/servers/{serverName}`. */
  pattern: string;
  /** The REST operation id, e.g. `FailoverGroups_Failover`. */
  operation: string;
  /** The oldest api-version the operation exists in. */
  minApiVersion?: string;
  /** Default: any method but GET. False for a POST that only reads (ARM's `list*` actions). */
  mutating?: boolean;
  handle(call: ArmCall): EmulatorResponse;
}

interface CompiledRoute extends ArmRoute {
  segments: Array<{ literal: string } | { param: string }>;
}

export function compileRoutes(routes: readonly ArmRoute[]): CompiledRoute[] {
  return routes.map((route) => ({
    ...route,
    segments: route.pattern
      .split('/')
      .filter(Boolean)
      .map((segment) =>
        segment.startsWith('{') ? { param: segment.slice(1, -1) } : { literal: segment.toLowerCase() },
      ),
  }));
}

/** The routes whose pattern matches `segments` (decoded path segments), with their parameters. */
export function matchRoutes(
  routes: readonly CompiledRoute[],
  segments: readonly string[],
): Array<{ route: CompiledRoute; params: Record<string, string> }> {
  const matches: Array<{ route: CompiledRoute; params: Record<string, string> }> = [];
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = route.segments.every((part, index) => {
      const value = segments[index]!;
      if ('literal' in part) return part.literal === value.toLowerCase();
      params[part.param] = value;
      return value.length > 0;
    });
    if (ok) matches.push({ route, params });
  }
  return matches;
}
