import { readFileSync } from 'node:fs';

/** A member of a vendored Smithy structure or list. */
interface Member {
  target: string;
  xmlName?: string;
  xmlFlattened?: boolean;
  jsonName?: string;
  required?: boolean;
  enum?: string[];
  http?: boolean;
}

type Shape =
  | { type: 'structure'; members: Record<string, Member> }
  | { type: 'list'; member: Member }
  | { type: 'map'; value: Member };

/** The vendored subset of the AWS Smithy models (see fixtures/extract-aws-smithy-shapes.mjs). */
export interface SmithyFixture {
  source: Record<string, string>;
  services: Record<string, { protocol: string; operations: Record<string, string> }>;
  shapes: Record<string, Shape>;
}

export function loadSmithyFixture(): SmithyFixture {
  return JSON.parse(
    readFileSync(new URL('./fixtures/aws-smithy-shapes.json', import.meta.url), 'utf8'),
  ) as SmithyFixture;
}

/** An XML element: its name, child elements and text. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** Just enough XML for AWS answers: elements, text, entities; attributes and declarations are skipped. */
export function parseXmlDocument(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack = [root];
  const pattern = /<\?[^>]*\?>|<!--[\s\S]*?-->|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s[^>]*?)?)(\/?)>|([^<]+)/g;
  for (const match of xml.matchAll(pattern)) {
    const top = stack[stack.length - 1]!;
    if (match[1]) {
      if (top.name !== match[1]) throw new Error(`</${match[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (match[2]) {
      const element: XmlElement = { name: match[2], children: [], text: '' };
      top.children.push(element);
      if (!match[4]) stack.push(element);
    } else if (match[5]) {
      top.text += match[5]
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  return root;
}

const simpleTypes = new Set(['string', 'number', 'boolean', 'timestamp', 'blob', 'document']);

/** Checks an XML element against a shape; returns one line per problem. */
export function checkXml(
  fixture: SmithyFixture,
  element: XmlElement,
  shapeName: string,
  path: string,
): string[] {
  const shape = fixture.shapes[shapeName];
  if (!shape) return [`${path}: no shape ${shapeName} in the fixture`];
  if (shape.type === 'structure') {
    const problems: string[] = [];
    const byElement = new Map<string, [string, Member]>();
    for (const [name, member] of Object.entries(shape.members)) {
      if (!member.http) byElement.set(member.xmlName ?? name, [name, member]);
    }
    const seen = new Set<string>();
    for (const child of element.children) {
      const found = byElement.get(child.name);
      if (!found) {
        problems.push(`${path}.${child.name}: not a member of ${shapeName}`);
        continue;
      }
      const [name, member] = found;
      if (seen.has(child.name) && !isFlattenedList(fixture, member))
        problems.push(`${path}.${name}: appears twice`);
      seen.add(child.name);
      problems.push(...checkXmlValue(fixture, child, member, `${path}.${name}`));
    }
    for (const [name, member] of Object.entries(shape.members)) {
      if (member.required && !member.http && !seen.has(member.xmlName ?? name))
        problems.push(`${path}.${name}: required by ${shapeName}, missing`);
    }
    return problems;
  }
  if (shape.type === 'list') {
    const memberName = shape.member.xmlName ?? 'member';
    return element.children.flatMap((child, index) =>
      child.name === memberName
        ? checkXmlValue(fixture, child, shape.member, `${path}[${index}]`)
        : [`${path}[${index}]: <${child.name}> where the list's members are <${memberName}>`],
    );
  }
  return []; // Maps are not served by the emulator's AWS routes.
}

function isFlattenedList(fixture: SmithyFixture, member: Member): boolean {
  return member.xmlFlattened === true && fixture.shapes[member.target]?.type === 'list';
}

function checkXmlValue(fixture: SmithyFixture, element: XmlElement, member: Member, path: string): string[] {
  if (!simpleTypes.has(member.target)) return checkXml(fixture, element, member.target, path);
  if (element.children.length > 0) return [`${path}: elements inside a ${member.target}`];
  return checkScalar(member, element.text, path, 'xml');
}

function checkScalar(member: Member, value: unknown, path: string, format: 'xml' | 'json'): string[] {
  const text = String(value);
  switch (member.target) {
    case 'number':
      return (format === 'json' ? typeof value === 'number' : /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text))
        ? []
        : [`${path}: ${JSON.stringify(value)} is not a number`];
    case 'boolean':
      return (format === 'json' ? typeof value === 'boolean' : text === 'true' || text === 'false')
        ? []
        : [`${path}: ${JSON.stringify(value)} is not a boolean`];
    case 'timestamp':
      // XML protocols send ISO 8601 date-times; the JSON protocols epoch seconds.
      return (
        format === 'json'
          ? typeof value === 'number'
          : /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text)
      )
        ? []
        : [
            `${path}: ${JSON.stringify(value)} is not a ${format === 'json' ? 'epoch-seconds' : 'date-time'} timestamp`,
          ];
    case 'string':
      if (format === 'json' && typeof value !== 'string')
        return [`${path}: ${JSON.stringify(value)} is not a string`];
      return member.enum && !member.enum.includes(text)
        ? [`${path}: "${text}" is not one of the model's values (${member.enum.join(', ')})`]
        : [];
    default:
      return [];
  }
}

/** Checks a JSON value against a shape; returns one line per problem. */
export function checkJson(fixture: SmithyFixture, value: unknown, shapeName: string, path: string): string[] {
  const shape = fixture.shapes[shapeName];
  if (!shape) return [`${path}: no shape ${shapeName} in the fixture`];
  if (shape.type === 'structure') {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return [`${path}: ${JSON.stringify(value)} is not an object`];
    const problems: string[] = [];
    const byKey = new Map(
      Object.entries(shape.members)
        .filter(([, member]) => !member.http)
        .map(([name, member]) => [member.jsonName ?? name, member] as const),
    );
    for (const [key, item] of Object.entries(value)) {
      const member = byKey.get(key);
      if (!member) problems.push(`${path}.${key}: not a member of ${shapeName}`);
      else if (item === null) problems.push(`${path}.${key}: null, where AWS omits an absent member`);
      else problems.push(...checkJsonValue(fixture, item, member, `${path}.${key}`));
    }
    for (const [key, member] of byKey) {
      if (member.required && !(key in value))
        problems.push(`${path}.${key}: required by ${shapeName}, missing`);
    }
    return problems;
  }
  if (shape.type === 'list') {
    if (!Array.isArray(value)) return [`${path}: ${JSON.stringify(value)} is not a list`];
    return value.flatMap((item, index) => checkJsonValue(fixture, item, shape.member, `${path}[${index}]`));
  }
  if (typeof value !== 'object' || value === null) return [`${path}: ${JSON.stringify(value)} is not a map`];
  return Object.entries(value).flatMap(([key, item]) =>
    checkJsonValue(fixture, item, shape.value, `${path}.${key}`),
  );
}

function checkJsonValue(fixture: SmithyFixture, value: unknown, member: Member, path: string): string[] {
  if (!simpleTypes.has(member.target)) return checkJson(fixture, value, member.target, path);
  return checkScalar(member, value, path, 'json');
}
