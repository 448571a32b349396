import { createHash, createHmac } from 'node:crypto';
import type { CallOptions, FailoverResult } from '@failover/core';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsSend, runAwsMethod } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';
import { resolveRegion } from './aws-validate.js';

/** Which EKS cluster. */
export interface EksClusterAccessOptions {
  cluster: string;
  /** Default: the factory's `region`. */
  region?: string;
}

/**
 * How `@failover/kubernetes` reaches an EKS cluster without the AWS CLI: the
 * endpoint and CA from `DescribeCluster`, and the bearer token
 * `aws-iam-authenticator` makes. Structurally a `KubernetesClusterAccess`
 * (this package does not depend on the Kubernetes one, nor it on this one).
 */
export interface EksClusterAccess {
  readonly cluster: string;
  endpoint(options?: CallOptions): FailoverResult<{ server: string; caData?: string }>;
  token(options?: CallOptions): FailoverResult<{ token: string; expiresAt: number }>;
}

const provider = 'aws.eks';
/** The presigned URL's own lifetime, as aws-iam-authenticator signs it. */
const presignSeconds = 60;
/** EKS accepts a token for 15 minutes after its signing time; renew it a minute early. */
const tokenLifetimeMs = 14 * 60_000;

/**
 * `k8s-aws-v1.` + base64url (unpadded) of a presigned STS `GetCallerIdentity`
 * URL whose signed headers include `x-k8s-aws-id: <cluster>`: the EKS API
 * server sends that request to STS to learn who is calling. Signed with the
 * AWS SDK's SigV4 signer and the factory's credentials, dated on its clock.
 * No request is sent here: the token never leaves memory but in the header.
 */
export function createEksClusterAccess(
  clients: AwsClients,
  options: EksClusterAccessOptions,
): EksClusterAccess {
  const { time, settings } = clients.runtime;
  const region = () =>
    resolveRegion({ provider, operation: 'DescribeCluster' }, options.region, settings.region);

  return {
    cluster: options.cluster,
    endpoint: (call) =>
      runAwsMethod(provider, 'DescribeCluster', call, async (_context, callOptions) => {
        const answer = await awsSend<
          { cluster?: { endpoint?: string; certificateAuthority?: { data?: string } } },
          'eks'
        >(
          clients,
          { provider, service: 'eks', region: region(), operation: 'DescribeCluster', mutating: false },
          (sdk) => new sdk.DescribeClusterCommand({ name: options.cluster }),
          callOptions,
        );
        const server = answer.cluster?.endpoint;
        if (!server) throw new Error(`EKS cluster ${options.cluster} has no endpoint yet (is it ACTIVE?)`);
        const caData = answer.cluster?.certificateAuthority?.data;
        return { server, ...(caData !== undefined && { caData }) };
      }),
    token: (call) =>
      runAwsMethod(provider, 'presignGetCallerIdentity', call, async () => {
        const at = region();
        const { client } = await clients.get('eks', at);
        const signer = new SignatureV4({
          service: 'sts',
          region: at,
          credentials: client.config.credentials,
          sha256: NodeSha256,
        });
        const hostname = `sts.${at}.amazonaws.com`;
        const signedAt = time.now();
        const signed = await signer.presign(
          {
            method: 'GET',
            protocol: 'https:',
            hostname,
            path: '/',
            query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
            headers: { host: hostname, 'x-k8s-aws-id': options.cluster },
          },
          { expiresIn: presignSeconds, signingDate: new Date(signedAt) },
        );
        const query = new URLSearchParams();
        for (const [key, value] of Object.entries(signed.query ?? {}))
          for (const item of Array.isArray(value) ? value : [value])
            if (item !== null) query.append(key, item);
        const url = `https://${hostname}/?${query.toString()}`;
        return {
          token: `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`,
          expiresAt: signedAt + tokenLifetimeMs,
        };
      }),
  };
}

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the SigV4 signer takes. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    throw new Error('not used by the signer');
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
