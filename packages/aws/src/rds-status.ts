import type { DatabaseMember } from '@failover/core';

const modifying = new Set([
  'backing-up',
  'backtracking',
  'configuring-enhanced-monitoring',
  'configuring-iam-database-auth',
  'configuring-log-exports',
  'creating',
  'failing-over',
  'maintenance',
  'migrating',
  'modifying',
  'moving-to-vpc',
  'promoting',
  'rebooting',
  'renaming',
  'resetting-master-credentials',
  'starting',
  'storage-optimization',
  'switching-over',
  'upgrading',
  'update-iops',
]);

const unavailable = new Set([
  'deleting',
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'insufficient-capacity',
  'migration-failed',
  'restore-error',
  'stopped',
  'stopping',
  'storage-full',
  'unreachable',
]);

/** An RDS cluster or instance status word as the member status the core understands. */
export function memberStatus(raw: string | undefined): DatabaseMember['status'] {
  if (raw === undefined) return 'unknown';
  if (raw === 'available') return 'available';
  if (modifying.has(raw)) return 'modifying';
  if (unavailable.has(raw)) return 'unavailable';
  return 'unknown';
}

/** `arn:aws:rds:<region>:<account>:<kind>:<id>`. */
export function parseRdsArn(value: string): { region: string; kind: string; id: string } | undefined {
  const match = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d*:([a-z-]+):(.+)$/.exec(value);
  return match ? { region: match[1]!, kind: match[2]!, id: match[3]! } : undefined;
}
