/** A schema of the vendored REST-spec subset (test/fixtures/azure-rest-specs.json). */
export interface SpecSchema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  required?: string[];
  properties?: Record<string, SpecSchema>;
  additionalProperties?: boolean | SpecSchema;
  allOf?: string[];
  items?: SpecSchema;
  enum?: string[];
  'x-nullable'?: boolean;
  /** Properties the real service always sends (as null when empty) rather than leaving out. */
  'x-always-sent'?: string[];
}

/**
 * Every way `value` departs from `schema`: a wrong type, a null where the service
 * never sends one, a field left out that the service always sends (as null), a
 * missing required field, a value outside an enum, or a property the spec does
 * not define (an invented shape). Empty when it conforms.
 */
export function specViolations(
  value: unknown,
  schema: SpecSchema,
  definitions: Record<string, SpecSchema>,
  path = '$',
): string[] {
  const resolved = resolve(schema, definitions);
  if (value === null) return resolved['x-nullable'] ? [] : [`${path}: null where the spec allows no null`];
  if (value === undefined) return [`${path}: undefined`];
  const problems: string[] = [];
  switch (resolved.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      const record = value as Record<string, unknown>;
      const properties = { ...resolved.properties };
      for (const name of resolved.allOf ?? [])
        Object.assign(properties, resolve({ $ref: name }, definitions).properties);
      for (const field of resolved.required ?? [])
        if (record[field] === undefined) problems.push(`${path}.${field}: required but absent`);
      for (const field of resolved['x-always-sent'] ?? [])
        if (record[field] === undefined)
          problems.push(`${path}.${field}: left out where the service sends it (null when empty)`);
      for (const [key, field] of Object.entries(record)) {
        const fieldSchema = properties[key];
        if (fieldSchema) problems.push(...specViolations(field, fieldSchema, definitions, `${path}.${key}`));
        else if (typeof resolved.additionalProperties === 'object')
          problems.push(
            ...specViolations(field, resolved.additionalProperties, definitions, `${path}.${key}`),
          );
        else if (resolved.additionalProperties !== true)
          problems.push(`${path}.${key}: not a property of the spec`);
      }
      return problems;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      return value.flatMap((item, index) =>
        resolved.items ? specViolations(item, resolved.items, definitions, `${path}[${index}]`) : [],
      );
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected a string, got ${JSON.stringify(value)}`];
      return resolved.enum && !resolved.enum.includes(value)
        ? [`${path}: '${value}' is not one of ${resolved.enum.join(', ')}`]
        : [];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${JSON.stringify(value)}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: expected a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
    default:
      return problems;
  }
}

function resolve(schema: SpecSchema, definitions: Record<string, SpecSchema>): SpecSchema {
  if (!schema.$ref) return schema;
  const target = definitions[schema.$ref];
  if (!target) throw new Error(`The fixture has no definition ${schema.$ref}`);
  return { ...resolve(target, definitions), ...(schema['x-nullable'] && { 'x-nullable': true }) };
}
