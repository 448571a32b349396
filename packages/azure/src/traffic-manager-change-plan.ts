import type { DnsRecordSet, DnsTarget } from '@failover/core';

/** The properties one endpoint PATCH sends. */
export interface EndpointChange {
  name: string;
  properties: {
    endpointStatus?: 'Enabled' | 'Disabled';
    weight?: number;
    priority?: number;
    target?: string;
    endpointLocation?: string;
  };
}

/** The endpoints whose properties differ, each with only the differing fields. */
export function endpointDifferences(current: DnsRecordSet, desired: DnsRecordSet): EndpointChange[] {
  const currentById = new Map(current.targets.map((target) => [target.id, target]));
  const wanted: EndpointChange[] = [];
  for (const want of desired.targets) {
    const have = currentById.get(want.id);
    if (!have) continue;
    const properties = differences(have, want);
    if (Object.keys(properties).length > 0) wanted.push({ name: want.id, properties });
  }
  return wanted;
}

function differences(have: DnsTarget, want: DnsTarget): EndpointChange['properties'] {
  const properties: EndpointChange['properties'] = {};
  if (have.enabled !== want.enabled) properties.endpointStatus = want.enabled ? 'Enabled' : 'Disabled';
  if (want.weight !== undefined && have.weight !== want.weight) properties.weight = want.weight;
  if (want.priority !== undefined && have.priority !== want.priority) properties.priority = want.priority;
  if (want.location !== undefined && have.location !== want.location)
    properties.endpointLocation = want.location;
  const wantValue = want.values[0];
  if (wantValue !== undefined && (have.values.length !== 1 || have.values[0] !== wantValue))
    properties.target = wantValue;
  return properties;
}
