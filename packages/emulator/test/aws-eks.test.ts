import {
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  ListNodegroupsCommand,
  ListUpdatesCommand,
  UpdateNodegroupConfigCommand,
} from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { awsSeed, eks } from './aws-clients.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

async function start() {
  emulator = await startEmulator({ timeScale: 0, seed: { aws: awsSeed() } });
  return eks(emulator, 'us-west-2');
}

const ref = { clusterName: 'ecommerce-prod', nodegroupName: 'primary' };

describe('EKS node groups', () => {
  it('describes and lists node groups of the cluster in the signed region', async () => {
    const client = await start();
    const { nodegroup } = await client.send(new DescribeNodegroupCommand(ref));
    expect(nodegroup).toMatchObject({
      nodegroupName: 'primary',
      clusterName: 'ecommerce-prod',
      status: 'ACTIVE',
      scalingConfig: { minSize: 1, maxSize: 10, desiredSize: 2 },
      capacityType: 'ON_DEMAND',
      health: { issues: [] },
    });
    expect(nodegroup?.nodegroupArn).toMatch(
      /^arn:aws:eks:us-west-2:123456789012:nodegroup\/ecommerce-prod\/primary\//,
    );
    expect(nodegroup?.createdAt).toBeInstanceOf(Date);
    expect(
      (await client.send(new ListNodegroupsCommand({ clusterName: 'ecommerce-prod' }))).nodegroups,
    ).toEqual(['primary']);
    const east = await eks(emulator, 'us-east-1').send(new DescribeNodegroupCommand(ref));
    expect(east.nodegroup?.scalingConfig?.desiredSize).toBe(6);
  });

  it('answers unknown clusters and node groups with ResourceNotFoundException 404', async () => {
    const client = await start();
    const cluster = await eks(emulator, 'eu-west-1')
      .send(new DescribeNodegroupCommand(ref))
      .catch((error) => error);
    expect(cluster.name).toBe('ResourceNotFoundException');
    expect(cluster.$metadata.httpStatusCode).toBe(404);
    expect(cluster.message).toBe('No cluster found for name: ecommerce-prod.');
    const group = await client
      .send(new DescribeNodegroupCommand({ ...ref, nodegroupName: 'nope' }))
      .catch((error) => error);
    expect(group.name).toBe('ResourceNotFoundException');
    expect(group.nodegroupName).toBe('nope');
  });

  it('scales out: the update runs InProgress (node group UPDATING) until the new nodes are ready, then Successful', async () => {
    const client = await start();
    const { update } = await client.send(
      new UpdateNodegroupConfigCommand({
        ...ref,
        scalingConfig: { minSize: 3, maxSize: 10, desiredSize: 6 },
      }),
    );
    expect(update).toMatchObject({
      status: 'InProgress',
      type: 'ConfigUpdate',
      params: [
        { type: 'MinSize', value: '3' },
        { type: 'MaxSize', value: '10' },
        { type: 'DesiredSize', value: '6' },
      ],
      errors: [],
    });
    const during = await client.send(new DescribeNodegroupCommand(ref));
    expect(during.nodegroup).toMatchObject({
      status: 'UPDATING',
      scalingConfig: { minSize: 3, maxSize: 10, desiredSize: 6 },
    });

    const busy = await client
      .send(new UpdateNodegroupConfigCommand({ ...ref, scalingConfig: { desiredSize: 7 } }))
      .catch((error) => error);
    expect(busy.name).toBe('ResourceInUseException');
    expect(busy.$metadata.httpStatusCode).toBe(409);

    await emulator.clock.sleep(30_000); // the update itself; new nodes still joining
    expect(
      (
        await client.send(
          new DescribeUpdateCommand({
            name: 'ecommerce-prod',
            updateId: update!.id!,
            nodegroupName: 'primary',
          }),
        )
      ).update?.status,
    ).toBe('InProgress');
    await emulator.clock.sleep(90_000);
    expect(
      (
        await client.send(
          new DescribeUpdateCommand({
            name: 'ecommerce-prod',
            updateId: update!.id!,
            nodegroupName: 'primary',
          }),
        )
      ).update?.status,
    ).toBe('Successful');
    expect((await client.send(new DescribeNodegroupCommand(ref))).nodegroup?.status).toBe('ACTIVE');
    expect(
      (await client.send(new ListUpdatesCommand({ name: 'ecommerce-prod', nodegroupName: 'primary' })))
        .updateIds,
    ).toEqual([update!.id]);
    expect(
      emulator.requests.list({ mutating: true }).map((entry) => [entry.operation, entry.status]),
    ).toEqual([
      ['UpdateNodegroupConfig', 200],
      ['UpdateNodegroupConfig', 409],
    ]);
  });

  it('scales in faster: no nodes have to join', async () => {
    const client = await start();
    const { update } = await client.send(
      new UpdateNodegroupConfigCommand({ ...ref, scalingConfig: { minSize: 0, desiredSize: 0 } }),
    );
    await emulator.clock.sleep(30_000);
    expect(
      (
        await client.send(
          new DescribeUpdateCommand({
            name: 'ecommerce-prod',
            updateId: update!.id!,
            nodegroupName: 'primary',
          }),
        )
      ).update?.status,
    ).toBe('Successful');
  });

  it('rejects inconsistent scaling configs with InvalidParameterException and changes nothing', async () => {
    const client = await start();
    const send = (scalingConfig: { minSize?: number; maxSize?: number; desiredSize?: number }) =>
      client.send(new UpdateNodegroupConfigCommand({ ...ref, scalingConfig })).catch((error) => error);
    const minOverDesired = await send({ minSize: 5 });
    expect(minOverDesired.name).toBe('InvalidParameterException');
    expect(minOverDesired.message).toBe("Minimum capacity 5 can't be greater than desired size 2");
    expect((await send({ desiredSize: 11 })).message).toBe(
      "Desired capacity 11 can't be greater than max size 10",
    );
    expect((await send({ minSize: 4, maxSize: 3, desiredSize: 3 })).message).toContain(
      "can't be greater than max size",
    );
    expect((await send({ desiredSize: -1 })).name).toBe('InvalidParameterException');
    expect((await client.send(new DescribeNodegroupCommand(ref))).nodegroup).toMatchObject({
      status: 'ACTIVE',
      scalingConfig: { minSize: 1, maxSize: 10, desiredSize: 2 },
    });
  });

  it('never finishes a stuck update', async () => {
    const client = await start();
    emulator.faults.add({ fault: 'stuck', operation: 'UpdateNodegroupConfig', times: 1 });
    const { update } = await client.send(
      new UpdateNodegroupConfigCommand({ ...ref, scalingConfig: { desiredSize: 4 } }),
    );
    await emulator.clock.sleep(24 * 3600_000);
    expect(
      (
        await client.send(
          new DescribeUpdateCommand({
            name: 'ecommerce-prod',
            updateId: update!.id!,
            nodegroupName: 'primary',
          }),
        )
      ).update?.status,
    ).toBe('InProgress');
    expect((await client.send(new DescribeNodegroupCommand(ref))).nodegroup?.status).toBe('UPDATING');
  });
});

describe('EKS protocol', () => {
  it('throttles with ThrottlingException 429, which the SDK retries', async () => {
    const client = await start();
    emulator.faults.add({ fault: 'throttle', operation: 'DescribeNodegroup', times: 2 });
    const { nodegroup } = await client.send(new DescribeNodegroupCommand(ref));
    expect(nodegroup?.status).toBe('ACTIVE');
    expect(emulator.requests.list({ operation: 'DescribeNodegroup' }).map((entry) => entry.status)).toEqual([
      429, 429, 200,
    ]);
    emulator.faults.add({ fault: 'throttle', operation: 'DescribeNodegroup', times: 3 });
    const exhausted = await client.send(new DescribeNodegroupCommand(ref)).catch((error) => error);
    expect(exhausted.name).toBe('ThrottlingException');
    expect(exhausted.$metadata.httpStatusCode).toBe(429);
  });

  it('answers unsigned requests and bad bodies with REST-JSON errors', async () => {
    await start();
    const base = `${emulator.endpoint('aws.eks')}/clusters/ecommerce-prod/node-groups/primary`;
    const unsigned = await fetch(base);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
    const auth =
      'AWS4-HMAC-SHA256 Credential=AKIDEMULATOR0000/20260101/us-west-2/eks/aws4_request, SignedHeaders=host, Signature=abc';
    const badJson = await fetch(`${base}/update-config`, {
      method: 'POST',
      headers: { authorization: auth },
      body: '{',
    });
    expect(badJson.status).toBe(400);
    expect(badJson.headers.get('x-amzn-errortype')).toBe('SerializationException');
    const badConfig = await fetch(`${base}/update-config`, {
      method: 'POST',
      headers: { authorization: auth },
      body: '{"scalingConfig":"big"}',
    });
    expect(badConfig.headers.get('x-amzn-errortype')).toBe('InvalidParameterException');
    expect(emulator.requests.list({ operation: 'UpdateNodegroupConfig' })[0]?.region).toBe('us-west-2');
  });
});
