import type { ListHostedZonesByNameCommandOutput } from '@aws-sdk/client-route-53';
import type { CallOptions } from '@failover/core';
import { awsSend } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';
import { type AwsErrorContext, awsFailure, invalidInput } from './aws-error.js';
import { normalizeDnsName } from './route53-record-sets.js';

const zoneIdPattern = /^(?:\/hostedzone\/)?([A-Z0-9]{1,32})$/;

/**
 * Finds hosted zones: by id (`Z…` or `/hostedzone/Z…`, no call), by name
 * (ListHostedZonesByName), or, with neither, by walking up the record name's
 * labels until a zone of that name exists. Names found are cached.
 */
export class Route53HostedZones {
  private readonly byName = new Map<string, string>();
  /** Lookups in flight, so concurrent first calls for one name share one request. */
  private readonly pending = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly clients: AwsClients,
    private readonly provider: string,
  ) {}

  async resolve(
    zone: string | undefined,
    recordName: string,
    context: AwsErrorContext,
    options: CallOptions,
  ): Promise<string> {
    if (zone !== undefined) {
      const id = zoneIdPattern.exec(zone.trim());
      if (id) return id[1]!;
      const found = await this.findByName(normalizeDnsName(zone), context, options);
      if (!found)
        throw awsFailure('not-found', context, `No hosted zone is named ${normalizeDnsName(zone)}.`);
      return found;
    }
    const labels = normalizeDnsName(recordName).replace(/\.$/, '').split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const found = await this.findByName(`${labels.slice(i).join('.')}.`, context, options);
      if (found) return found;
    }
    throw awsFailure('not-found', context, `No hosted zone contains ${normalizeDnsName(recordName)}.`);
  }

  private async findByName(
    name: string,
    context: AwsErrorContext,
    options: CallOptions,
  ): Promise<string | undefined> {
    const cached = this.byName.get(name);
    if (cached) return cached;
    const inFlight = this.pending.get(name);
    if (inFlight) return inFlight;
    const lookup = this.lookUp(name, context, options).finally(() => this.pending.delete(name));
    this.pending.set(name, lookup);
    return lookup;
  }

  private async lookUp(
    name: string,
    context: AwsErrorContext,
    options: CallOptions,
  ): Promise<string | undefined> {
    const out = await awsSend<ListHostedZonesByNameCommandOutput, 'route53'>(
      this.clients,
      {
        provider: this.provider,
        service: 'route53',
        region: 'us-east-1',
        operation: 'ListHostedZonesByName',
        mutating: false,
      },
      (sdk) => new sdk.ListHostedZonesByNameCommand({ DNSName: name, MaxItems: 10 }),
      options,
    );
    const matches = (out.HostedZones ?? []).filter((zone) => normalizeDnsName(zone.Name ?? '') === name);
    if (matches.length > 1) {
      throw invalidInput(
        context,
        `Several hosted zones are named ${name} (public and private); name the zone by id.`,
        'zone',
      );
    }
    const id = matches[0]?.Id?.replace(/^\/hostedzone\//, '');
    if (id) this.byName.set(name, id);
    return id;
  }
}
