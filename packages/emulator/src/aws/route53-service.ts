import type {
  EmulatorRequest,
  EmulatorResponse,
  EmulatorService,
  RouteMatch,
  ServiceContext,
} from '../server/emulator-types.js';
import { requestId, xmlError, xmlResponse } from './aws-responses.js';
import type { Route53Seed } from './aws-seed.js';
import { type AwsWorld, authorize, isResponse, xmlAuthCodes } from './aws-world.js';
import {
  child,
  children,
  childText,
  parseXml,
  type XmlNode,
  XmlParseError,
  type XmlValue,
  xmlList,
} from './aws-xml.js';
import { checkerReport } from './route53-health-timeline.js';
import {
  type ChangeInput,
  type HealthCheck,
  type HostedZone,
  normalizeName,
  type RecordSet,
  Route53State,
  recordTypes,
  sortableName,
} from './route53-state.js';

const namespace = 'https://route53.amazonaws.com/doc/2013-04-01/';
const checkerRegions = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
];

class BadInput extends Error {}

/**
 * Route 53 over REST-XML at `/aws/route53/2013-04-01/...`: hosted zones, record
 * sets (list with pagination, transactional change batches), changes that go
 * PENDING → INSYNC on the emulator clock, and health checks whose checkers follow the
 * seed's scripted timeline and the blackout of the checked endpoint's region.
 */
export function createRoute53Service(
  context: ServiceContext,
  world: AwsWorld,
  seed?: Route53Seed,
  /** What a `RECOVERY_CONTROL` health check reads: the ARC routing control's state. */
  routingControlState: (arn: string) => 'On' | 'Off' | undefined = () => undefined,
): EmulatorService {
  const state = new Route53State(context.random, seed);
  /** Health-check timelines count from here. */
  const startedAt = context.clock.now();
  const id = () => requestId(context.random);
  const error = (status: number, code: string, message: string) =>
    xmlError(status, code, message, { namespace, id: id() });
  const ok = (root: string, body: { readonly [key: string]: XmlValue }) =>
    xmlResponse(200, root, namespace, body, id());

  const service: EmulatorService = {
    id: 'aws.route53',
    cloud: 'aws',
    mount: '/aws/route53',
    route(request) {
      const auth = authorize(request, world, 'route53', xmlAuthCodes, error);
      if (isResponse(auth)) return auth;
      const match = /^\/2013-04-01(\/.*)$/.exec(request.path);
      if (!match) return unknownOperation(request);
      const segments = match[1]!.split('/').filter(Boolean).map(decodeSegment);
      if (segments.some((segment) => segment === undefined)) return unknownOperation(request);
      const route = (operation: string, mutating: boolean, handle: () => EmulatorResponse): RouteMatch => ({
        operation,
        mutating,
        region: auth.region,
        handle: () => guard(handle),
      });
      const { method } = request;
      const [first, second, third, fourth] = segments;

      if (first === 'hostedzone' && segments.length === 1 && method === 'GET')
        return route('ListHostedZones', false, () => listHostedZones(request));
      if (first === 'hostedzonesbyname' && segments.length === 1 && method === 'GET')
        return route('ListHostedZonesByName', false, () => listHostedZonesByName(request));
      if (first === 'hostedzone' && segments.length === 2 && method === 'GET')
        return route('GetHostedZone', false, () => withZone(second!, (zone) => getHostedZone(zone)));
      if (first === 'hostedzone' && third === 'rrset' && segments.length === 3 && method === 'GET')
        return route('ListResourceRecordSets', false, () =>
          withZone(second!, (zone) => listRecordSets(zone, request)),
        );
      if (first === 'hostedzone' && third === 'rrset' && segments.length === 3 && method === 'POST')
        return {
          operation: 'ChangeResourceRecordSets',
          mutating: true,
          region: auth.region,
          handle: ({ stuck }) =>
            guard(() => withZone(second!, (zone) => changeRecordSets(zone, request.body, stuck))),
        };
      if (first === 'change' && segments.length === 2 && method === 'GET')
        return route('GetChange', false, () => getChange(second!));
      if (first === 'healthcheck' && segments.length === 1 && method === 'GET')
        return route('ListHealthChecks', false, () => listHealthChecks(request));
      if (first === 'healthcheck' && segments.length === 2 && method === 'GET')
        return route('GetHealthCheck', false, () =>
          withHealthCheck(second!, (check) =>
            ok('GetHealthCheckResponse', { HealthCheck: renderHealthCheck(check) }),
          ),
        );
      if (first === 'healthcheck' && segments.length === 2 && method === 'POST')
        return route('UpdateHealthCheck', true, () =>
          withHealthCheck(second!, (check) => updateHealthCheck(check, request.body)),
        );
      if (first === 'healthcheck' && fourth === undefined && third === 'status' && method === 'GET')
        return route('GetHealthCheckStatus', false, () =>
          withHealthCheck(second!, (check) => healthCheckStatus(check)),
        );
      return unknownOperation(request);
    },
    errorResponse(kind, detail) {
      if (kind === 'throttled') return error(400, 'Throttling', detail.message);
      if (kind === 'server-error') return error(500, 'InternalFailure', detail.message);
      return error(400, 'InvalidInput', detail.message);
    },
  };

  function unknownOperation(request: EmulatorRequest): EmulatorResponse {
    return error(
      404,
      'UnknownOperationException',
      `No Route 53 operation matches ${request.method} ${request.path}.`,
    );
  }

  /** Bad input found while handling becomes Route 53's InvalidInput, never a 500. */
  function guard(handle: () => EmulatorResponse): EmulatorResponse {
    try {
      return handle();
    } catch (thrown) {
      if (thrown instanceof BadInput || thrown instanceof XmlParseError)
        return error(400, 'InvalidInput', thrown.message);
      throw thrown;
    }
  }

  function withZone(zoneId: string, handle: (zone: HostedZone) => EmulatorResponse): EmulatorResponse {
    const zone = state.zones.get(zoneId);
    if (!zone) return error(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${zoneId}`);
    return handle(zone);
  }

  function withHealthCheck(
    checkId: string,
    handle: (check: HealthCheck) => EmulatorResponse,
  ): EmulatorResponse {
    const check = state.healthChecks.get(checkId);
    if (!check)
      return error(404, 'NoSuchHealthCheck', `No health check exists with the specified ID ${checkId}.`);
    return handle(check);
  }

  function renderZone(zone: HostedZone): XmlValue {
    return {
      Id: `/hostedzone/${zone.id}`,
      Name: zone.name,
      CallerReference: zone.callerReference,
      Config: { Comment: zone.comment, PrivateZone: zone.privateZone },
      ResourceRecordSetCount: zone.records.size,
    };
  }

  function getHostedZone(zone: HostedZone): EmulatorResponse {
    return ok('GetHostedZoneResponse', {
      HostedZone: renderZone(zone),
      DelegationSet: zone.privateZone ? undefined : { NameServers: xmlList('NameServer', zone.nameServers) },
    });
  }

  function listHostedZones(request: EmulatorRequest): EmulatorResponse {
    const maxItems = readMaxItems(request.query, 100);
    const zones = [...state.zones.values()];
    const marker = request.query.get('marker');
    let start = 0;
    if (marker !== null) {
      start = zones.findIndex((zone) => zone.id === marker);
      if (start < 0) return error(400, 'InvalidInput', `The marker ${marker} is not valid.`);
    }
    const page = zones.slice(start, start + maxItems);
    const next = zones[start + maxItems];
    return ok('ListHostedZonesResponse', {
      HostedZones: xmlList('HostedZone', page.map(renderZone)),
      Marker: marker ?? '',
      IsTruncated: next !== undefined,
      NextMarker: next?.id,
      MaxItems: maxItems,
    });
  }

  function listHostedZonesByName(request: EmulatorRequest): EmulatorResponse {
    const maxItems = readMaxItems(request.query, 100);
    const dnsName = request.query.get('dnsname');
    const zoneId = request.query.get('hostedzoneid');
    if (zoneId !== null && dnsName === null) {
      throw new BadInput('The input is not valid: hostedzoneid requires dnsname.');
    }
    const zones = [...state.zones.values()].sort(
      (a, b) => cmp(sortableName(a.name), sortableName(b.name)) || cmp(a.id, b.id),
    );
    const startName = dnsName === null ? undefined : sortableName(normalizeName(dnsName));
    const from = zones.filter((zone) => {
      if (startName === undefined) return true;
      const order = cmp(sortableName(zone.name), startName);
      return order > 0 || (order === 0 && (zoneId === null || zone.id >= zoneId));
    });
    const page = from.slice(0, maxItems);
    const next = from[maxItems];
    return ok('ListHostedZonesByNameResponse', {
      HostedZones: xmlList('HostedZone', page.map(renderZone)),
      DNSName: dnsName === null ? undefined : dnsName,
      HostedZoneId: zoneId ?? undefined,
      IsTruncated: next !== undefined,
      NextDNSName: next?.name,
      NextHostedZoneId: next?.id,
      MaxItems: maxItems,
    });
  }

  function listRecordSets(zone: HostedZone, request: EmulatorRequest): EmulatorResponse {
    const maxItems = Math.min(readMaxItems(request.query, 300), 300);
    const name = request.query.get('name');
    const type = request.query.get('type');
    const identifier = request.query.get('identifier');
    if (type !== null && name === null) throw new BadInput('The input is not valid: type requires name.');
    if (identifier !== null && type === null)
      throw new BadInput('The input is not valid: identifier requires name and type.');
    if (type !== null && !recordTypes.has(type)) throw new BadInput(`Invalid type: ${type}`);
    const startName = name === null ? undefined : sortableName(normalizeName(name));
    const records = state.sortedRecords(zone).filter((record) => {
      if (startName === undefined) return true;
      const byName = cmp(sortableName(record.name), startName);
      if (byName !== 0 || type === null) return byName >= 0;
      const byType = cmp(record.type, type);
      if (byType !== 0 || identifier === null) return byType >= 0;
      return cmp(record.setIdentifier ?? '', identifier) >= 0;
    });
    const page = records.slice(0, maxItems);
    const next = records[maxItems];
    return ok('ListResourceRecordSetsResponse', {
      ResourceRecordSets: xmlList('ResourceRecordSet', page.map(renderRecord)),
      IsTruncated: next !== undefined,
      NextRecordName: next?.name,
      NextRecordType: next?.type,
      NextRecordIdentifier: next?.setIdentifier,
      MaxItems: maxItems,
    });
  }

  function changeRecordSets(zone: HostedZone, body: string, stuck: boolean): EmulatorResponse {
    const root = parseXml(body);
    if (root.name !== 'ChangeResourceRecordSetsRequest')
      throw new BadInput('Invalid XML ; root element is not ChangeResourceRecordSetsRequest');
    const batch = child(root, 'ChangeBatch');
    if (!batch) throw new BadInput("Invalid request: Missing field 'ChangeBatch'");
    const changes = children(child(batch, 'Changes'), 'Change').map(parseChange);
    const now = context.clock.now();
    if (state.pendingChange(zone.id, now)) {
      return error(
        400,
        'PriorRequestNotComplete',
        'The request was rejected because Route 53 was still processing a prior request.',
      );
    }
    const failure = state.applyChanges(zone, changes);
    if (failure) return error(failure.status, failure.code, failure.message);
    const change = {
      id: state.newChangeId(),
      zoneId: zone.id,
      submittedAt: now,
      insyncAt: stuck ? Number.POSITIVE_INFINITY : now + context.duration('route53.change', 30_000),
      comment: childText(batch, 'Comment'),
    };
    state.changes.set(change.id, change);
    return ok('ChangeResourceRecordSetsResponse', { ChangeInfo: renderChange(change) });
  }

  function getChange(changeId: string): EmulatorResponse {
    const change = state.changes.get(changeId);
    if (!change) return error(404, 'NoSuchChange', `Could not find resource with ID: ${changeId}`);
    return ok('GetChangeResponse', { ChangeInfo: renderChange(change) });
  }

  function renderChange(change: {
    id: string;
    submittedAt: number;
    insyncAt: number;
    comment?: string;
  }): XmlValue {
    return {
      Id: `/change/${change.id}`,
      Status: context.clock.now() >= change.insyncAt ? 'INSYNC' : 'PENDING',
      SubmittedAt: new Date(change.submittedAt),
      Comment: change.comment,
    };
  }

  function listHealthChecks(request: EmulatorRequest): EmulatorResponse {
    const maxItems = readMaxItems(request.query, 100);
    const checks = [...state.healthChecks.values()];
    const marker = request.query.get('marker');
    let start = 0;
    if (marker !== null) {
      start = checks.findIndex((check) => check.id === marker);
      if (start < 0) return error(400, 'InvalidInput', `The marker ${marker} is not valid.`);
    }
    const next = checks[start + maxItems];
    return ok('ListHealthChecksResponse', {
      HealthChecks: xmlList('HealthCheck', checks.slice(start, start + maxItems).map(renderHealthCheck)),
      Marker: marker ?? '',
      IsTruncated: next !== undefined,
      NextMarker: next?.id,
      MaxItems: maxItems,
    });
  }

  function updateHealthCheck(check: HealthCheck, body: string): EmulatorResponse {
    const root = parseXml(body);
    if (root.name !== 'UpdateHealthCheckRequest')
      throw new BadInput('Invalid XML ; root element is not UpdateHealthCheckRequest');
    const version = optionalInt(root, 'HealthCheckVersion');
    if (version !== undefined && version !== check.version) {
      return error(
        409,
        'HealthCheckVersionMismatch',
        "The value of HealthCheckVersion in the request doesn't match the value of HealthCheckVersion in the health check.",
      );
    }
    const next = { ...check };
    const inverted = optionalBool(root, 'Inverted');
    const disabled = optionalBool(root, 'Disabled');
    const port = optionalInt(root, 'Port');
    const threshold = optionalInt(root, 'FailureThreshold');
    if (port !== undefined && (port < 1 || port > 65535))
      throw new BadInput('Invalid parameter: Port must be between 1 and 65535.');
    if (threshold !== undefined && (threshold < 1 || threshold > 10))
      throw new BadInput('Invalid parameter: FailureThreshold must be between 1 and 10.');
    if (inverted !== undefined) next.inverted = inverted;
    if (disabled !== undefined) next.disabled = disabled;
    if (port !== undefined) next.port = port;
    if (threshold !== undefined) next.failureThreshold = threshold;
    next.ipAddress = childText(root, 'IPAddress') ?? next.ipAddress;
    next.fqdn = childText(root, 'FullyQualifiedDomainName') ?? next.fqdn;
    next.resourcePath = childText(root, 'ResourcePath') ?? next.resourcePath;
    for (const element of children(child(root, 'ResetElements'), 'ResettableElementName')) {
      if (element.text.trim() === 'ResourcePath') next.resourcePath = undefined;
      else if (element.text.trim() === 'FullyQualifiedDomainName') next.fqdn = undefined;
    }
    next.version = check.version + 1;
    state.healthChecks.set(check.id, next);
    return ok('UpdateHealthCheckResponse', { HealthCheck: renderHealthCheck(next) });
  }

  function healthCheckStatus(check: HealthCheck): EmulatorResponse {
    // Checkers report what they see at the endpoint; Disabled and Inverted apply to
    // the health check's status, not to the observations.
    const now = new Date(context.clock.now());
    if (check.type === 'RECOVERY_CONTROL') {
      // The check reports the routing control's state, read from the ARC cluster, not a probe.
      const on = routingControlState(check.routingControlArn ?? '') === 'On';
      const status = on ? 'Success: Routing control state is On' : 'Failure: Routing control state is Off';
      return ok('GetHealthCheckStatusResponse', {
        HealthCheckObservations: xmlList(
          'HealthCheckObservation',
          checkerRegions.map((region, index) => ({
            Region: region,
            IPAddress: `15.177.${index * 8}.${10 + index}`,
            StatusReport: { Status: status, CheckedTime: now },
          })),
        ),
      });
    }
    const targetDark =
      check.targetRegion !== undefined && (context.regionDark?.('aws', check.targetRegion) ?? false);
    return ok('GetHealthCheckStatusResponse', {
      HealthCheckObservations: xmlList(
        'HealthCheckObservation',
        checkerRegions.map((region, index) => ({
          Region: region,
          IPAddress: `15.177.${index * 8}.${10 + index}`,
          StatusReport: checkerReport(check, region, index, now.getTime(), startedAt, targetDark),
        })),
      ),
    });
  }

  return service;
}

function renderRecord(record: RecordSet): XmlValue {
  return {
    Name: record.name,
    Type: record.type,
    SetIdentifier: record.setIdentifier,
    Weight: record.weight,
    Region: record.region,
    Failover: record.failover,
    TTL: record.ttl,
    ResourceRecords:
      record.values === undefined
        ? undefined
        : xmlList(
            'ResourceRecord',
            record.values.map((Value) => ({ Value })),
          ),
    AliasTarget: record.alias && {
      HostedZoneId: record.alias.hostedZoneId,
      DNSName: record.alias.dnsName,
      EvaluateTargetHealth: record.alias.evaluateTargetHealth,
    },
    HealthCheckId: record.healthCheckId,
  };
}

function renderHealthCheck(check: HealthCheck): XmlValue {
  if (check.type === 'RECOVERY_CONTROL') {
    return {
      Id: check.id,
      CallerReference: check.callerReference,
      HealthCheckConfig: {
        Type: check.type,
        Inverted: check.inverted,
        Disabled: check.disabled,
        RoutingControlArn: check.routingControlArn,
      },
      HealthCheckVersion: check.version,
    };
  }
  return {
    Id: check.id,
    CallerReference: check.callerReference,
    HealthCheckConfig: {
      IPAddress: check.ipAddress,
      Port: check.port,
      Type: check.type,
      ResourcePath: check.resourcePath,
      FullyQualifiedDomainName: check.fqdn,
      RequestInterval: check.requestInterval,
      FailureThreshold: check.failureThreshold,
      MeasureLatency: false,
      Inverted: check.inverted,
      Disabled: check.disabled,
      EnableSNI: check.type.startsWith('HTTPS'),
    },
    HealthCheckVersion: check.version,
  };
}

function parseChange(node: XmlNode): ChangeInput {
  const action = childText(node, 'Action');
  if (action !== 'CREATE' && action !== 'DELETE' && action !== 'UPSERT') {
    throw new BadInput(
      `Invalid XML ; value '${action ?? ''}' is not a valid Action (CREATE, DELETE, UPSERT)`,
    );
  }
  const set = child(node, 'ResourceRecordSet');
  if (!set) throw new BadInput("Invalid request: Missing field 'ResourceRecordSet'");
  const name = childText(set, 'Name');
  const type = childText(set, 'Type');
  if (!name || !type)
    throw new BadInput("Invalid request: Missing field 'Name' or 'Type' in ResourceRecordSet");
  for (const unsupported of [
    'GeoLocation',
    'MultiValueAnswer',
    'CidrRoutingConfig',
    'GeoProximityLocation',
    'TrafficPolicyInstanceId',
  ]) {
    if (child(set, unsupported)) throw new BadInput(`The emulator does not model ${unsupported} routing.`);
  }
  const failover = childText(set, 'Failover');
  if (failover !== undefined && failover !== 'PRIMARY' && failover !== 'SECONDARY') {
    throw new BadInput(`Invalid XML ; value '${failover}' is not a valid Failover (PRIMARY, SECONDARY)`);
  }
  const recordsNode = child(set, 'ResourceRecords');
  const alias = child(set, 'AliasTarget');
  const record: RecordSet = {
    name: normalizeName(name),
    type,
    ...(child(set, 'TTL') && { ttl: requiredInt(set, 'TTL') }),
    ...(recordsNode && {
      values: children(recordsNode, 'ResourceRecord').map((entry) => {
        const value = childText(entry, 'Value');
        if (value === undefined || value === '')
          throw new BadInput("Invalid request: Missing field 'Value' in ResourceRecord");
        return value;
      }),
    }),
    ...(childText(set, 'SetIdentifier') !== undefined && { setIdentifier: childText(set, 'SetIdentifier')! }),
    ...(child(set, 'Weight') && { weight: requiredInt(set, 'Weight') }),
    ...(failover !== undefined && { failover }),
    ...(childText(set, 'Region') !== undefined && { region: childText(set, 'Region')! }),
    ...(childText(set, 'HealthCheckId') !== undefined && { healthCheckId: childText(set, 'HealthCheckId')! }),
  };
  if (alias) {
    const hostedZoneId = childText(alias, 'HostedZoneId');
    const dnsName = childText(alias, 'DNSName');
    if (!hostedZoneId || !dnsName)
      throw new BadInput("Invalid request: Missing field 'HostedZoneId' or 'DNSName' in AliasTarget");
    record.alias = {
      hostedZoneId,
      dnsName: normalizeName(dnsName),
      evaluateTargetHealth: optionalBool(alias, 'EvaluateTargetHealth') ?? false,
    };
  }
  return { action, record };
}

function requiredInt(node: XmlNode, name: string): number {
  const value = optionalInt(node, name);
  if (value === undefined) throw new BadInput(`Invalid request: Missing field '${name}'`);
  return value;
}

function optionalInt(node: XmlNode, name: string): number | undefined {
  const text = childText(node, name);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text))
    throw new BadInput(`Invalid XML ; value '${text}' is not a valid integer for ${name}`);
  return Number(text);
}

function optionalBool(node: XmlNode, name: string): boolean | undefined {
  const text = childText(node, name);
  if (text === undefined) return undefined;
  if (text !== 'true' && text !== 'false')
    throw new BadInput(`Invalid XML ; value '${text}' is not a valid boolean for ${name}`);
  return text === 'true';
}

function readMaxItems(query: URLSearchParams, fallback: number): number {
  const raw = query.get('maxitems');
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new BadInput(`Invalid parameter: maxitems '${raw}' must be a positive integer.`);
  return Number(raw);
}

/** A decoded path segment; undefined for a malformed percent-encoding. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
