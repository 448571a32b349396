import type { DatabaseDesiredState } from '../providers/database/database-desired-state.js';
import type { DatabaseRef } from '../providers/database/database-topology.js';
import { type ActionOptions, actionStep } from './plan-step-options.js';
import type { ProviderName } from './refs.js';
import type { ActionStep } from './step.js';

/**
 * Database actions.
 *
 * @example
 * // No data loss: the cloud's switchover waits for replicas to catch up.
 * database.ensureWriter('switchover', { provider: 'db', database: { id: 'orders' }, region: 'eu-central-1', mode: 'planned' })
 * // Data loss allowed: needs a fence on every name in frontedBy and an approval before it (validation checks).
 * database.ensureWriter('promote', { provider: 'db', database: { id: 'orders' }, frontedBy: ['api.example.com'], region: 'eu-central-1', mode: 'forced' },
 *   { dependsOn: ['fence-primary', 'approve-forced'] })
 */
export const database = {
  /** The writer of `database` is in `region`, moved there in `mode` if it is not. Not reversible by default. */
  ensureWriter: (
    id: string,
    fields: { provider: ProviderName; database: DatabaseRef; frontedBy?: string[] } & DatabaseDesiredState,
    options?: ActionOptions,
  ): ActionStep =>
    actionStep(
      id,
      {
        type: 'database',
        provider: fields.provider,
        database: { ...fields.database },
        frontedBy: fields.frontedBy ? [...fields.frontedBy] : undefined,
        region: fields.region,
        mode: fields.mode,
        memberId: fields.memberId,
        zone: fields.zone,
        providerOptions: fields.providerOptions ? structuredClone(fields.providerOptions) : undefined,
      },
      options,
    ),
};
