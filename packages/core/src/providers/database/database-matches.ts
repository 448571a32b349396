import type { DatabaseDesiredState } from './database-desired-state.js';
import type { DatabaseTopology } from './database-topology.js';
import { isMemberNamed } from './member-name.js';

/**
 * Whether a topology already is the desired state: exactly one writer, in the desired
 * region and, where the desired state names them, on that member and in that zone.
 * The executor and every adapter compare with this, so an in-region (Multi-AZ, HA
 * zone) failover is never a silent no-op.
 */
export function databaseMatches(topology: DatabaseTopology, desired: DatabaseDesiredState): boolean {
  const writers = topology.members.filter((member) => member.role === 'writer');
  if (writers.length !== 1) return false;
  const writer = writers[0]!;
  if (writer.region !== desired.region) return false;
  if (desired.memberId !== undefined && !isMemberNamed(writer, desired.memberId)) return false;
  if (desired.zone !== undefined && writer.zone !== desired.zone) return false;
  return true;
}
