import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListNodegroupsCommand,
  ListUpdatesCommand,
  UpdateNodegroupConfigCommand,
} from '@aws-sdk/client-eks';
import {
  CreateDBInstanceReadReplicaCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  RebootDBInstanceCommand,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  ListHealthChecksCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  UpdateHealthCheckCommand,
} from '@aws-sdk/client-route-53';
import {
  GetRoutingControlStateCommand,
  ListRoutingControlsCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStateCommand,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsWorld, credentials, startAwsEmulator, zoneId } from './aws-emulator.js';
import { type LostAnswerProxy, startLostAnswerProxy } from './lost-answer-proxy.js';
import { checkJson, checkXml, loadSmithyFixture, parseXmlDocument } from './smithy-shape-check.js';

let emulator: Emulator;
let proxy: LostAnswerProxy;
afterEach(async () => {
  await proxy.stop();
  await emulator.stop();
});

const fixture = loadSmithyFixture();

const controlPanel = 'arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef';
const routingControl = (name: string) => `${controlPanel}/routingcontrol/${name}0123456789ab`;

/** The seed world plus two more global clusters, so a failover and a detach can run beside the switchover. */
function world() {
  const base = awsWorld();
  const global = (id: string) => ({
    id,
    members: [
      { id: `${id}-east`, region: 'us-east-1', writer: true },
      { id: `${id}-west`, region: 'us-west-2', lagMs: 20 },
    ],
  });
  return {
    ...base,
    arc: {
      routingControls: [
        { arn: routingControl('east'), state: 'On' as const },
        { arn: routingControl('west'), state: 'On' as const },
      ],
    },
    rds: {
      ...base.rds,
      globalClusters: [...base.rds!.globalClusters!, global('failover-db'), global('detach-db')],
    },
  };
}

/** Every route the AWS emulator serves, through the real SDK clients, one request at a time. */
async function callEveryRoute(): Promise<void> {
  const at = (service: string) => `${proxy.url}${new URL(emulator.endpoint(service)).pathname}`;
  const common = { credentials, maxAttempts: 1 };
  const route53 = new Route53Client({ ...common, region: 'us-east-1', endpoint: at('aws.route53') });
  const rds = (region: string) => new RDSClient({ ...common, region, endpoint: at('aws.rds') });
  const eks = new EKSClient({ ...common, region: 'us-west-2', endpoint: at('aws.eks') });
  const cloudwatch = new CloudWatchClient({ ...common, region: 'us-west-2', endpoint: at('aws.cloudwatch') });

  await route53.send(new ListHostedZonesCommand({}));
  await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'ecommerce.com' }));
  await route53.send(new GetHostedZoneCommand({ Id: zoneId }));
  await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 3 }));
  await route53.send(new ListHealthChecksCommand({}));
  await route53.send(new GetHealthCheckCommand({ HealthCheckId: 'hc-primary' }));
  await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-primary' }));
  await route53.send(
    new UpdateHealthCheckCommand({ HealthCheckId: 'hc-primary', Disabled: true, Inverted: true }),
  );
  const change = await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Comment: 'shape check',
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: 'status.ecommerce.com',
              Type: 'A',
              TTL: 60,
              ResourceRecords: [{ Value: '192.0.2.31' }],
            },
          },
        ],
      },
    }),
  );
  await route53.send(new GetChangeCommand({ Id: change.ChangeInfo!.Id! }));

  const west = rds('us-west-2');
  await west.send(new DescribeGlobalClustersCommand({}));
  await west.send(new DescribeDBClustersCommand({}));
  await rds('us-east-1').send(new DescribeDBInstancesCommand({}));
  await west.send(new DescribeDBInstancesCommand({}));
  await west.send(
    new SwitchoverGlobalClusterCommand({
      GlobalClusterIdentifier: 'ecommerce-global',
      TargetDbClusterIdentifier: 'arn:aws:rds:us-west-2:123456789012:cluster:ecommerce-secondary',
    }),
  );
  await west.send(
    new FailoverGlobalClusterCommand({
      GlobalClusterIdentifier: 'failover-db',
      TargetDbClusterIdentifier: 'arn:aws:rds:us-west-2:123456789012:cluster:failover-db-west',
      AllowDataLoss: true,
    }),
  );
  await west.send(
    new RemoveFromGlobalClusterCommand({
      GlobalClusterIdentifier: 'detach-db',
      DbClusterIdentifier: 'detach-db-west',
    }),
  );
  // Mid-operation: the global clusters with their FailoverState, the clusters while they change.
  await west.send(new DescribeGlobalClustersCommand({}));
  await west.send(new DescribeDBClustersCommand({}));
  emulator.clock.advance?.(10_000);
  await west.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'ecommerce-global' }));
  await rds('us-east-1').send(
    new RebootDBInstanceCommand({ DBInstanceIdentifier: 'aegis-db', ForceFailover: true }),
  );
  await west.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'aegis-db-replica' }));
  await west.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'aegis-db-replica' }));

  // Once promoted, the replica is the source of a new one back in us-east-1 (reprotect).
  emulator.clock.advance?.(200_000);
  await rds('us-east-1').send(
    new CreateDBInstanceReadReplicaCommand({
      DBInstanceIdentifier: 'aegis-db-east',
      SourceDBInstanceIdentifier: 'arn:aws:rds:us-west-2:123456789012:db:aegis-db-replica',
    }),
  );

  await eks.send(new ListNodegroupsCommand({ clusterName: 'ecommerce-prod' }));
  await eks.send(new DescribeNodegroupCommand({ clusterName: 'ecommerce-prod', nodegroupName: 'primary' }));
  const update = await eks.send(
    new UpdateNodegroupConfigCommand({
      clusterName: 'ecommerce-prod',
      nodegroupName: 'primary',
      scalingConfig: { minSize: 1, maxSize: 10, desiredSize: 4 },
    }),
  );
  await eks.send(new DescribeNodegroupCommand({ clusterName: 'ecommerce-prod', nodegroupName: 'primary' }));
  await eks.send(new ListUpdatesCommand({ name: 'ecommerce-prod', nodegroupName: 'primary' }));
  await eks.send(
    new DescribeUpdateCommand({
      name: 'ecommerce-prod',
      nodegroupName: 'primary',
      updateId: update.update!.id!,
    }),
  );

  // ARC's cluster data plane: the same API at every regional endpoint.
  for (const region of ['us-west-2', 'eu-west-1']) {
    const arc = new Route53RecoveryClusterClient({ ...common, region, endpoint: at(`aws.arc.${region}`) });
    await arc.send(new ListRoutingControlsCommand({ ControlPanelArn: controlPanel }));
    await arc.send(new GetRoutingControlStateCommand({ RoutingControlArn: routingControl('east') }));
  }
  const arc = new Route53RecoveryClusterClient({
    ...common,
    region: 'us-west-2',
    endpoint: at('aws.arc.us-west-2'),
  });
  await arc.send(
    new UpdateRoutingControlStateCommand({
      RoutingControlArn: routingControl('east'),
      RoutingControlState: 'Off',
    }),
  );
  await arc.send(
    new UpdateRoutingControlStatesCommand({
      UpdateRoutingControlStateEntries: [
        { RoutingControlArn: routingControl('east'), RoutingControlState: 'Off' },
        { RoutingControlArn: routingControl('west'), RoutingControlState: 'On' },
      ],
    }),
  );

  const now = new Date(emulator.clock.now());
  const start = new Date(now.getTime() - 10 * 60_000);
  const metric = {
    Namespace: 'AWS/RDS',
    MetricName: 'AuroraGlobalDBReplicationLag',
    Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'ecommerce-secondary' }],
  };
  await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: now,
      MetricDataQueries: [{ Id: 'lag', MetricStat: { Metric: metric, Period: 60, Stat: 'Average' } }],
    }),
  );
  await cloudwatch.send(
    new GetMetricStatisticsCommand({
      ...metric,
      StartTime: start,
      EndTime: now,
      Period: 60,
      Statistics: ['Average'],
    }),
  );
}

describe('the AWS emulator answers in the shapes of the published Smithy models', () => {
  it('every route it serves: members, XML names, types, required members and enum values', async () => {
    emulator = await startAwsEmulator(world());
    proxy = await startLostAnswerProxy(emulator);
    await callEveryRoute();

    const log = emulator.requests.list();
    expect(log.map((entry) => entry.path)).toEqual(proxy.exchanges.map((exchange) => exchange.path));
    const problems: string[] = [];
    const checked = new Set<string>();
    log.forEach((entry, index) => {
      const exchange = proxy.exchanges[index]!;
      // The five ARC endpoints (`aws.arc.<region>`) serve one API.
      const service = entry.service.replace(/^aws\./, '').replace(/^arc\..*$/, 'arc');
      const spec = fixture.services[service];
      const shape = spec?.operations[entry.operation];
      if (!spec || !shape) {
        problems.push(`${entry.service} ${entry.operation}: no model shape vendored`);
        return;
      }
      expect(exchange.status, `${entry.operation} answered ${exchange.status}: ${exchange.body}`).toBe(200);
      checked.add(`${service}.${entry.operation}`);
      const where = `${entry.operation}#${index}`;
      if (spec.protocol === 'restXml') {
        const root = parseXmlDocument(exchange.body).children[0]!;
        const expectedRoot = shape.split('#')[1]!;
        if (root.name !== expectedRoot) problems.push(`${where}: root <${root.name}>, not <${expectedRoot}>`);
        problems.push(...checkXml(fixture, root, shape, where));
      } else if (spec.protocol === 'awsQuery') {
        const root = parseXmlDocument(exchange.body).children[0]!;
        if (root.name !== `${entry.operation}Response`) problems.push(`${where}: root <${root.name}>`);
        const result = root.children.find((child) => child.name === `${entry.operation}Result`);
        if (!result) problems.push(`${where}: no <${entry.operation}Result>`);
        else problems.push(...checkXml(fixture, result, shape, where));
        for (const child of root.children)
          if (child !== result && child.name !== 'ResponseMetadata')
            problems.push(`${where}: <${child.name}> beside the result`);
      } else {
        problems.push(...checkJson(fixture, JSON.parse(exchange.body), shape, where));
      }
    });
    expect(problems).toEqual([]);
    // Every operation the emulator routes was answered and checked at least once.
    const served = Object.entries(fixture.services).flatMap(([service, spec]) =>
      Object.keys(spec.operations).map((operation) => `${service}.${operation}`),
    );
    expect([...checked].sort()).toEqual(served.sort());
  });

  it('an invented member, a missing required member or a value outside an enum fails the check', () => {
    const rrset = 'route53#ListResourceRecordSetsResponse';
    const ok = parseXmlDocument(
      '<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet><Name>a.example.</Name><Type>A</Type></ResourceRecordSet></ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListResourceRecordSetsResponse>',
    ).children[0]!;
    expect(checkXml(fixture, ok, rrset, 'r')).toEqual([]);
    const invented = parseXmlDocument(
      '<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet><Name>a.example.</Name><Type>ANAME</Type><Priority>1</Priority></ResourceRecordSet></ResourceRecordSets><MaxItems>many</MaxItems></ListResourceRecordSetsResponse>',
    ).children[0]!;
    expect(checkXml(fixture, invented, rrset, 'r')).toEqual([
      'r.ResourceRecordSets[0].Type: "ANAME" is not one of the model\'s values (A, AAAA, CAA, CNAME, DS, HTTPS, MX, NAPTR, NS, PTR, SOA, SPF, SRV, SSHFP, SVCB, TLSA, TXT)',
      'r.ResourceRecordSets[0].Priority: not a member of route53#ResourceRecordSet',
      'r.MaxItems: "many" is not a number',
      'r.IsTruncated: required by route53#ListResourceRecordSetsResponse, missing',
    ]);
    expect(
      checkJson(
        fixture,
        { nodegroup: { status: 'SCALING', nodegroupName: null } },
        'eks#DescribeNodegroupResponse',
        'e',
      ),
    ).toEqual([
      'e.nodegroup.status: "SCALING" is not one of the model\'s values (ACTIVE, CREATE_FAILED, CREATING, DEGRADED, DELETE_FAILED, DELETING, UPDATING)',
      'e.nodegroup.nodegroupName: null, where AWS omits an absent member',
    ]);
  });
});
