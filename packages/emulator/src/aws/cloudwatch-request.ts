import type { MetricSelector } from './cloudwatch-metrics.js';

/** A CloudWatch error by its Query-era code (`InvalidParameterValue`, `ValidationError`...). */
export class CloudWatchError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

const units = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

/** The request body as a JSON object; anything else is a `SerializationException`, as from the JSON front end. */
export function readJsonObject(body: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.trim() === '' ? '{}' : body);
  } catch {
    throw serialization('The request body is not valid JSON.');
  }
  if (!isObject(parsed)) throw serialization('The request body must be a JSON object.');
  return parsed;
}

/** The Coral validation error: `1 validation error detected: Value … at '…' failed to satisfy constraint: …`. */
export function invalid(path: string, value: unknown, constraint: string): CloudWatchError {
  const shown =
    value === undefined ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return new CloudWatchError(
    400,
    'ValidationError',
    `1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`,
  );
}

export function serialization(message: string): CloudWatchError {
  return new CloudWatchError(400, 'SerializationException', message);
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readString(
  input: Json,
  key: string,
  path: string,
  rules: { required?: boolean; max?: number; pattern?: RegExp } = {},
): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) {
    if (rules.required) throw invalid(path, undefined, 'Member must not be null');
    return undefined;
  }
  if (typeof value !== 'string') throw serialization(`Expected a string at '${path}'.`);
  if (value.length < 1) throw invalid(path, value, 'Member must have length greater than or equal to 1');
  if (rules.max !== undefined && value.length > rules.max)
    throw invalid(path, value, `Member must have length less than or equal to ${rules.max}`);
  if (rules.pattern && !rules.pattern.test(value))
    throw invalid(path, value, `Member must satisfy regular expression pattern: ${rules.pattern.source}`);
  return value;
}

export function readInteger(
  input: Json,
  key: string,
  path: string,
  rules: { required?: boolean; min?: number } = {},
): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) {
    if (rules.required) throw invalid(path, undefined, 'Member must not be null');
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw serialization(`Expected an integer at '${path}'.`);
  if (rules.min !== undefined && value < rules.min)
    throw invalid(path, value, `Member must have value greater than or equal to ${rules.min}`);
  return value;
}

export function readBoolean(input: Json, key: string, path: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw serialization(`Expected a boolean at '${path}'.`);
  return value;
}

/** A timestamp in the awsJson default format, epoch seconds (fractions allowed), as epoch ms. */
export function readTimestamp(input: Json, key: string, path: string): number {
  const value = input[key];
  if (value === undefined || value === null) throw invalid(path, undefined, 'Member must not be null');
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw serialization(`Expected a timestamp in epoch seconds at '${path}'.`);
  return Math.round(value * 1000);
}

export function readList(
  input: Json,
  key: string,
  path: string,
  rules: { required?: boolean; max?: number } = {},
): unknown[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) {
    if (rules.required) throw invalid(path, undefined, 'Member must not be null');
    return undefined;
  }
  if (!Array.isArray(value)) throw serialization(`Expected a list at '${path}'.`);
  if (rules.max !== undefined && value.length > rules.max)
    throw invalid(
      path,
      `[${value.length} items]`,
      `Member must have length less than or equal to ${rules.max}`,
    );
  return value;
}

export function readUnit(input: Json, key: string, path: string): string | undefined {
  const unit = readString(input, key, path);
  if (unit !== undefined && !units.has(unit))
    throw invalid(path, unit, `Member must satisfy enum value set: [${[...units].join(', ')}]`);
  return unit;
}

/**
 * A metric: namespace, name and dimensions. `paramPath` names it the Query way
 * (`MetricDataQueries.member.1.MetricStat.Metric`) for semantic errors.
 */
export function readMetric(
  input: Json,
  path: string,
  paramPath: string,
  fields: { namespace: string; metricName: string; dimensions: string },
): Omit<MetricSelector, 'unit'> {
  const namespace = readString(input, fields.namespace, `${path}.namespace`, { max: 255, pattern: /[^:].*/ });
  const metricName = readString(input, fields.metricName, `${path}.metricName`, { max: 255 });
  if (namespace === undefined) throw missing(`${paramPath}${fields.namespace}`);
  if (metricName === undefined) throw missing(`${paramPath}${fields.metricName}`);
  const list = readList(input, fields.dimensions, `${path}.dimensions`, { max: 30 }) ?? [];
  const dimensions = list.map((entry, index) => {
    const at = `${path}.dimensions.${index + 1}.member`;
    if (!isObject(entry)) throw serialization(`Expected a dimension object at '${at}'.`);
    return {
      name: readString(entry, 'Name', `${at}.name`, { required: true, max: 255 })!,
      value: readString(entry, 'Value', `${at}.value`, { required: true, max: 1024 })!,
    };
  });
  return { namespace, metricName, dimensions };
}

export function missing(parameter: string): CloudWatchError {
  return new CloudWatchError(400, 'MissingParameter', `The parameter ${parameter} is required.`);
}

/** Periods CloudWatch accepts: 1, 5, 10, 20, 30 (high resolution), 60 or any multiple of 60 seconds. */
export function checkPeriod(period: number, parameter: string): void {
  if ([1, 5, 10, 20, 30].includes(period) || (period >= 60 && period % 60 === 0)) return;
  throw new CloudWatchError(
    400,
    'InvalidParameterValue',
    `The parameter ${parameter} must be 1, 5, 10, 20, 30, 60, or any multiple of 60.`,
  );
}
