import type { EmulatorResponse } from '../server/emulator-types.js';

// Error responses built here, so a parsed request body can never pass for one.
const errorResponses = new WeakSet<object>();

/** ARM's error envelope: `{ error: { code, message } }` with the HTTP status the service uses. */
export function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): EmulatorResponse {
  const response: EmulatorResponse = {
    status,
    headers: { 'x-ms-failure-cause': status === 404 ? 'gateway' : 'service', ...headers },
    body: { error: { code, message, details: [] } },
  };
  errorResponses.add(response);
  return response;
}

/** The 404 the ARM gateway answers for a missing top-level resource. */
export function resourceNotFound(type: string, name: string, resourceGroup: string): EmulatorResponse {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

/** The 404 a resource provider answers for a missing child resource. */
export function childNotFound(type: string, name: string): EmulatorResponse {
  return armError(
    404,
    'ResourceNotFound',
    `The requested resource of type '${type}' with name '${name}' was not found.`,
  );
}

export function invalidRequestContent(detail: string): EmulatorResponse {
  return armError(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: '${detail}'.`,
  );
}

/** Parses a JSON request body; an error response when it is not a JSON object. */
export function parseJsonObject(body: string): Record<string, unknown> | EmulatorResponse {
  if (body.trim() === '') return invalidRequestContent('The request body is empty.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return invalidRequestContent(error instanceof Error ? error.message : 'Invalid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return invalidRequestContent('Expected a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function isErrorResponse(value: unknown): value is EmulatorResponse {
  return typeof value === 'object' && value !== null && errorResponses.has(value);
}

/** The `properties` object of an ARM request body, or an error when it is not an object. */
export function propertiesOf(body: Record<string, unknown>): Record<string, unknown> | EmulatorResponse {
  const properties = body.properties ?? {};
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    return invalidRequestContent("'properties' must be an object.");
  }
  return properties as Record<string, unknown>;
}
