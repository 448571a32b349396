import { afterEach, describe, expect, it } from 'vitest';
import { type AwsReplayServer, awsOnReplay, startAwsReplayServer, xml } from './aws-replay-server.js';

// aws.route53 against answers in the shapes of the Route 53 API reference
// (docs.aws.amazon.com/Route53/latest/APIReference): ListResourceRecordSets
// (ListResourceRecordSetsResponse), ChangeResourceRecordSets and GetChange
// (ChangeInfo: Id, Status PENDING|INSYNC, SubmittedAt; the SubmittedAt value
// 2017-03-27T17:48:16.751Z is the one API_ChangeInfo cites). The zone, names
// and addresses are ours (RFC 5737 documentation ranges), written in those
// shapes, not copied from a published example; the ChangeInfo Id is in the
// documented `/change/<id>` form.

const ns = 'https://route53.amazonaws.com/doc/2013-04-01/';
const zone = 'Z1D633PJN98FT9';
const listAnswer = (value: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ListResourceRecordSetsResponse xmlns="${ns}">
   <ResourceRecordSets>
      <ResourceRecordSet>
         <Name>status.example.com.</Name>
         <Type>A</Type>
         <TTL>300</TTL>
         <ResourceRecords>
            <ResourceRecord>
               <Value>${value}</Value>
            </ResourceRecord>
         </ResourceRecords>
      </ResourceRecordSet>
      <ResourceRecordSet>
         <Name>www.example.com.</Name>
         <Type>A</Type>
         <TTL>60</TTL>
         <ResourceRecords>
            <ResourceRecord>
               <Value>192.0.2.1</Value>
            </ResourceRecord>
         </ResourceRecords>
      </ResourceRecordSet>
   </ResourceRecordSets>
   <IsTruncated>false</IsTruncated>
   <MaxItems>100</MaxItems>
</ListResourceRecordSetsResponse>`;
const changeInfo = (root: string, status: string) => `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="${ns}">
   <ChangeInfo>
      <Id>/change/C2682N5HXP0BZ4</Id>
      <Status>${status}</Status>
      <SubmittedAt>2017-03-27T17:48:16.751Z</SubmittedAt>
   </ChangeInfo>
</${root}>`;

let server: AwsReplayServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function route53On(replay: AwsReplayServer) {
  return awsOnReplay(replay).dnsProvider();
}

describe('aws.route53 replayed', () => {
  it('reads a simple record set, UPSERTs its new value in one ChangeBatch, and waits PENDING → INSYNC', async () => {
    server = await startAwsReplayServer([
      xml('/route53', 'GET', `/2013-04-01/hostedzone/${zone}/rrset`, listAnswer('192.0.2.10')),
      xml('/route53', 'GET', `/2013-04-01/hostedzone/${zone}/rrset`, listAnswer('192.0.2.10')),
      xml(
        '/route53',
        'POST',
        `/2013-04-01/hostedzone/${zone}/rrset`,
        changeInfo('ChangeResourceRecordSetsResponse', 'PENDING'),
      ),
      xml('/route53', 'GET', '/2013-04-01/change/C2682N5HXP0BZ4', changeInfo('GetChangeResponse', 'PENDING')),
      xml('/route53', 'GET', '/2013-04-01/change/C2682N5HXP0BZ4', changeInfo('GetChangeResponse', 'INSYNC')),
    ]);
    const dns = route53On(server);
    const ref = { zone, name: 'status.example.com', type: 'A' };
    const observed = (await dns.getRecordSet(ref))._unsafeUnwrap();
    expect(observed).toMatchObject({
      name: 'status.example.com.',
      type: 'A',
      ttl: 300,
      targets: [{ id: 'default', values: ['192.0.2.10'] }],
    });
    expect(observed.targets).toHaveLength(1);

    const ensured = (
      await dns.ensureRecordSet(ref, {
        ...observed,
        targets: [{ ...observed.targets[0]!, values: ['198.51.100.10'] }],
      })
    )._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    (await dns.waitForChange(ensured.handle!, { timeoutMs: 600_000 }))._unsafeUnwrap();

    expect(server.unmatched).toEqual([]);
    expect(server.unused()).toEqual([]);
    const read = {
      method: 'GET',
      path: `/2013-04-01/hostedzone/${zone}/rrset`,
      query: { name: 'status.example.com.', type: 'A', maxitems: '300' },
    };
    const poll = { method: 'GET', path: '/2013-04-01/change/C2682N5HXP0BZ4', query: {} };
    expect(server.requests.map(({ method, path, query }) => ({ method, path, query }))).toEqual([
      read,
      read, // ensure observes again before it acts
      { method: 'POST', path: `/2013-04-01/hostedzone/${zone}/rrset`, query: {} },
      poll,
      poll,
    ]);
    // The whole change: one UPSERT with the TTL kept and the new value, nothing else.
    expect(server.requests[2]!.body.replace(/^<\?xml[^>]*\?>/, '')).toBe(
      `<ChangeResourceRecordSetsRequest xmlns="${ns}"><ChangeBatch><Changes><Change><Action>UPSERT</Action>` +
        '<ResourceRecordSet><Name>status.example.com.</Name><Type>A</Type><TTL>300</TTL>' +
        '<ResourceRecords><ResourceRecord><Value>198.51.100.10</Value></ResourceRecord></ResourceRecords>' +
        '</ResourceRecordSet></Change></Changes><Comment>@failover: status.example.com. A</Comment>' +
        '</ChangeBatch></ChangeResourceRecordSetsRequest>',
    );
  });
});
