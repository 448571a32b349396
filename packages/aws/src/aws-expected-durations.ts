/**
 * How long each operation the AWS adapters wait on usually takes, as AWS documents
 * it. A wait passes it as `expectedDurationMs` (unless the caller gives its own), so
 * the poll schedule can start late and poll densely around it.
 */
export const awsExpectedDurationMs = {
  /** Route 53: changes reach every name server "generally within 60 seconds". */
  route53Change: 60_000,
  /** Aurora global switchover: about one to two minutes, plus the secondary's catch-up. */
  auroraSwitchover: 90_000,
  /** Aurora global failover with AllowDataLoss: typically about a minute. */
  auroraFailover: 60_000,
  /** Detaching a secondary (RemoveFromGlobalCluster) until it is a standalone writer. */
  auroraDetach: 60_000,
  /** RDS Multi-AZ failover: "typically 60-120 seconds". */
  rdsMultiAzFailover: 90_000,
  /** RDS read-replica promotion: a few minutes, with the reboot it implies. */
  rdsPromote: 180_000,
  /** EKS node-group scaling: the update, then instances launching and joining. */
  eksScale: 180_000,
} as const;
