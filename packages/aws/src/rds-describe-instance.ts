import type { DBInstance, DescribeDBInstancesCommandOutput } from '@aws-sdk/client-rds';
import type { CallOptions } from '@failover/core';
import { awsSend } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';

/**
 * One RDS instance as `DescribeDBInstances` returns it in `region`. Throws the mapped
 * `FailoverError` (an absent instance is `not-found`), for `runAwsMethod` to return.
 */
export async function describeRdsInstance(
  clients: AwsClients,
  identifier: string,
  region: string,
  call: CallOptions,
): Promise<DBInstance | undefined> {
  const out = await awsSend<DescribeDBInstancesCommandOutput, 'rds'>(
    clients,
    { provider: 'aws.rds', region, service: 'rds', operation: 'DescribeDBInstances', mutating: false },
    (sdk) => new sdk.DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }),
    call,
  );
  return out.DBInstances?.[0];
}
