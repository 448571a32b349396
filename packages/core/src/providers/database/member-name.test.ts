import { describe, expect, it } from 'vitest';
import { databaseMatches } from './database-matches.js';
import type { DatabaseTopology } from './database-topology.js';
import { worstReplicationLag } from './replication-lag.js';

const armId = '/subscriptions/s/resourceGroups/dr-rg/providers/Microsoft.Sql/servers/dr-sql';

const topology: DatabaseTopology = {
  id: 'fog',
  failoverInProgress: false,
  members: [
    { id: armId, aliases: ['dr-sql'], region: 'westus', role: 'writer', status: 'available' },
    {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql',
      region: 'eastus',
      role: 'reader',
      status: 'available',
    },
  ],
};

describe('a member named by an alias', () => {
  it('is the writer databaseMatches looks for, by id or alias, and no other name', () => {
    expect(databaseMatches(topology, { region: 'westus', mode: 'planned', memberId: armId })).toBe(true);
    expect(databaseMatches(topology, { region: 'westus', mode: 'planned', memberId: 'dr-sql' })).toBe(true);
    expect(databaseMatches(topology, { region: 'westus', mode: 'planned', memberId: 'sql' })).toBe(false);
  });

  it("picks that member's lag sample, by id or alias", () => {
    const observation = {
      specificationVersion: 'v1' as const,
      databaseId: 'fog',
      observedAt: 0,
      samples: [
        { memberId: armId, aliases: ['dr-sql'], region: 'westus', lagMs: 12_000, sampledAt: 0 },
        { memberId: 'other', region: 'westus', lagMs: 40_000, sampledAt: 0 },
      ],
    };
    expect(worstReplicationLag(observation, { memberId: 'dr-sql' })?.lagMs).toBe(12_000);
    expect(worstReplicationLag(observation, { memberId: armId })?.lagMs).toBe(12_000);
    expect(worstReplicationLag(observation, { memberId: 'nobody' })).toBeUndefined();
  });
});
