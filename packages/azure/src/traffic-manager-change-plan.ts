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

/**
 * The endpoint PATCHes that turn `current` into `desired`, in a safe order:
 * endpoints coming into rotation first and those leaving it last (so traffic
 * always has somewhere to go), and priorities moved without two endpoints ever
 * sharing one (Traffic Manager rejects that): an endpoint whose new priority
 * is still held waits, and a cycle (a swap) parks one endpoint on a free
 * priority first. Only differing fields are sent.
 */
export function planEndpointChanges(current: DnsRecordSet, desired: DnsRecordSet): EndpointChange[] {
  const currentById = new Map(current.targets.map((target) => [target.id, target]));
  const wanted: EndpointChange[] = [];
  for (const want of desired.targets) {
    const have = currentById.get(want.id);
    if (!have) continue;
    const properties = differences(have, want);
    if (Object.keys(properties).length > 0) wanted.push({ name: want.id, properties });
  }
  const phase = (change: EndpointChange) =>
    change.properties.endpointStatus === 'Enabled'
      ? 0
      : change.properties.endpointStatus === 'Disabled'
        ? 2
        : 1;
  const pending = [...wanted].sort((a, b) => phase(a) - phase(b));

  // Who holds each priority right now, as the PATCHes are applied one by one.
  const holder = new Map<number, string>();
  for (const target of current.targets)
    if (target.priority !== undefined) holder.set(target.priority, target.id);
  const finalPriorities = new Set(
    desired.targets.map((target) => target.priority).filter((p) => p !== undefined),
  );
  const move = (name: string, priority: number) => {
    for (const [held, who] of holder) if (who === name) holder.delete(held);
    holder.set(priority, name);
  };

  const plan: EndpointChange[] = [];
  while (pending.length > 0) {
    const ready = pending.findIndex((change) => {
      const priority = change.properties.priority;
      if (priority === undefined) return true;
      const who = holder.get(priority);
      return who === undefined || who === change.name;
    });
    if (ready >= 0) {
      const [change] = pending.splice(ready, 1);
      plan.push(change!);
      if (change!.properties.priority !== undefined) move(change!.name, change!.properties.priority);
      continue;
    }
    // Every remaining priority move waits on another: park the first on a free slot.
    const parked = pending[0]!;
    let free = 1;
    while (holder.has(free) || finalPriorities.has(free)) free++;
    plan.push({ name: parked.name, properties: { priority: free } });
    move(parked.name, free);
  }
  return plan;
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
