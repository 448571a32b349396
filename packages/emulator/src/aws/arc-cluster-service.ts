import type { EmulatorResponse, EmulatorService, ServiceContext } from '../server/emulator-types.js';
import type { ArcState, RoutingControl } from './arc-state.js';
import { awsJson10ContentType, awsJsonResponse, requestId } from './aws-responses.js';
import { type AwsWorld, authorize, isResponse, jsonAuthCodes } from './aws-world.js';

const targetPrefix = 'ToggleCustomerAPI.';
const errorNamespace = 'com.amazonaws.route53recoverycluster#';

/** A modelled error of the cluster API: the status is the shape's `httpError`. */
class ArcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;

/**
 * The ARC cluster data plane (Route 53 Recovery Cluster, awsJson 1.0,
 * `X-Amz-Target: ToggleCustomerAPI.<Op>`, signed for `route53-recovery-cluster`),
 * one service per regional endpoint at `/aws/arc/<region>` (ids `aws.arc.<region>`),
 * all over one `ArcState`: GetRoutingControlState, UpdateRoutingControlState,
 * UpdateRoutingControlStates (all or nothing) and ListRoutingControls. Each endpoint
 * reports its own region, so blacking out a region takes its endpoint down and
 * leaves the others answering, as a real cluster does.
 */
export function createArcClusterServices(
  context: ServiceContext,
  world: AwsWorld,
  state: ArcState,
  regions: readonly string[],
): EmulatorService[] {
  return regions.map((endpointRegion) => createEndpoint(context, world, state, endpointRegion));
}

function createEndpoint(
  context: ServiceContext,
  world: AwsWorld,
  state: ArcState,
  endpointRegion: string,
): EmulatorService {
  const id = () => requestId(context.random);
  const error = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
    ({
      status,
      headers: { 'content-type': awsJson10ContentType, 'x-amzn-requestid': id() },
      body: { __type: `${errorNamespace}${code}`, message, ...extra },
    }) satisfies EmulatorResponse;

  const handlers: Record<string, { mutating: boolean; run: (input: Input) => unknown }> = {
    GetRoutingControlState: { mutating: false, run: getState },
    UpdateRoutingControlState: { mutating: true, run: updateState },
    UpdateRoutingControlStates: { mutating: true, run: updateStates },
    ListRoutingControls: { mutating: false, run: listControls },
  };

  return {
    id: `aws.arc.${endpointRegion}`,
    cloud: 'aws',
    mount: `/aws/arc/${endpointRegion}`,
    route(request) {
      const auth = authorize(request, world, 'route53-recovery-cluster', jsonAuthCodes, error);
      if (isResponse(auth)) return auth;
      const target = request.headers['x-amz-target'];
      const operation =
        typeof target === 'string' && target.startsWith(targetPrefix)
          ? target.slice(targetPrefix.length)
          : '';
      const handler = handlers[operation];
      if (request.method !== 'POST' || request.path !== '/' || !handler) {
        return error(400, 'ValidationException', `Unknown operation ${String(target)}.`, {
          reason: 'UNKNOWN_OPERATION',
        });
      }
      return {
        operation,
        mutating: handler.mutating,
        // The endpoint's own region: a blackout of it takes this endpoint down, whatever the signature says.
        region: endpointRegion,
        handle: () => {
          try {
            return awsJsonResponse(handler.run(parseBody(request.body)), id());
          } catch (thrown) {
            if (thrown instanceof ArcError)
              return error(thrown.status, thrown.code, thrown.message, thrown.extra);
            throw thrown;
          }
        },
      };
    },
    errorResponse(kind, detail) {
      if (kind === 'throttled')
        return error(429, 'ThrottlingException', detail.message, {
          retryAfterSeconds: detail.retryAfterSeconds ?? 1,
        });
      if (kind === 'server-error') return error(500, 'InternalServerException', detail.message);
      return error(400, 'ValidationException', detail.message, { reason: 'CANNOT_PARSE' });
    },
  };

  function getState(input: Input) {
    const control = requireControl(readArn(input, 'RoutingControlArn'));
    return {
      RoutingControlArn: control.arn,
      RoutingControlState: control.state,
      RoutingControlName: control.name,
    };
  }

  function updateState(input: Input) {
    const arn = readArn(input, 'RoutingControlArn');
    const next = readState(input.RoutingControlState, 'routingControlState');
    requireControl(arn).state = next;
    return {};
  }

  function updateStates(input: Input) {
    const entries = input.UpdateRoutingControlStateEntries;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw invalid('updateRoutingControlStateEntries', 'Member must not be null or empty');
    }
    // All or nothing: every entry is checked before any state changes.
    const updates = entries.map((entry: unknown, index) => {
      const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as Input;
      const arn = readArn(fields, 'RoutingControlArn', `updateRoutingControlStateEntries.${index}.`);
      return {
        control: requireControl(arn),
        state: readState(
          fields.RoutingControlState,
          `updateRoutingControlStateEntries.${index}.member.routingControlState`,
        ),
      };
    });
    for (const { control, state: next } of updates) control.state = next;
    return {};
  }

  function listControls(input: Input) {
    const panel = typeof input.ControlPanelArn === 'string' ? input.ControlPanelArn : undefined;
    const max = typeof input.MaxResults === 'number' ? input.MaxResults : 500;
    const start = typeof input.NextToken === 'string' ? Number.parseInt(input.NextToken, 10) || 0 : 0;
    const all = [...state.controls.values()]
      .filter((control) => panel === undefined || control.controlPanelArn === panel)
      .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const page = all.slice(start, start + max);
    return {
      RoutingControls: page.map((control) => ({
        ControlPanelArn: control.controlPanelArn,
        ControlPanelName: control.controlPanelArn.split('/').pop(),
        RoutingControlArn: control.arn,
        RoutingControlName: control.name,
        RoutingControlState: control.state,
        Owner: world.accountId,
      })),
      ...(start + max < all.length && { NextToken: String(start + max) }),
    };
  }

  function requireControl(arn: string): RoutingControl {
    const control = state.controls.get(arn);
    if (!control) {
      throw new ArcError(404, 'ResourceNotFoundException', `No routing control found with ARN ${arn}.`, {
        resourceId: arn,
        resourceType: 'RoutingControl',
      });
    }
    return control;
  }
}

function parseBody(body: string): Input {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.trim() === '' ? '{}' : body);
  } catch {
    throw new ArcError(400, 'ValidationException', 'The request body is not valid JSON.', {
      reason: 'CANNOT_PARSE',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ArcError(400, 'ValidationException', 'The request body must be a JSON object.', {
      reason: 'CANNOT_PARSE',
    });
  }
  return parsed as Input;
}

function invalid(field: string, constraint: string, value?: unknown): ArcError {
  const shown = value === undefined ? 'null' : `'${String(value)}'`;
  return new ArcError(
    400,
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
    { reason: 'FIELD_VALIDATION_FAILED', fields: [{ name: field, message: constraint }] },
  );
}

function readArn(input: Input, key: string, prefix = ''): string {
  const value = input[key];
  const field = `${prefix}${key.charAt(0).toLowerCase()}${key.slice(1)}`;
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, 'Member must not be null');
  if (value.length > 256) throw invalid(field, 'Member must have length less than or equal to 256', value);
  return value;
}

function readState(value: unknown, field: string): 'On' | 'Off' {
  if (value === 'On' || value === 'Off') return value;
  if (value === undefined) throw invalid(field, 'Member must not be null');
  throw invalid(field, 'Member must satisfy enum value set: [On, Off]', value);
}
