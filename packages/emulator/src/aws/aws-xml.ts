// A small XML reader and writer: enough for the request bodies the AWS SDK
// sends (Route 53 change batches, health-check updates) and for the responses
// the REST-XML and Query protocols expect. No DTDs, no external entities.

/** An element: its local name (namespace prefix dropped), child elements and text. */
export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
}

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (match, entity: string) => {
    if (entity.startsWith('#x')) return codePoint(Number.parseInt(entity.slice(2), 16), match);
    if (entity.startsWith('#')) return codePoint(Number.parseInt(entity.slice(1), 10), match);
    const decoded = entities[entity];
    if (decoded === undefined) throw new XmlParseError(`Unknown entity ${match}`);
    return decoded;
  });
}

function codePoint(value: number, match: string): string {
  if (!Number.isFinite(value) || value < 0 || value > 0x10ffff)
    throw new XmlParseError(`Bad character ${match}`);
  return String.fromCodePoint(value);
}

/** Parses one document; throws `XmlParseError` on anything malformed. */
export function parseXml(input: string): XmlNode {
  const source = input.replace(/^\uFEFF/, '');
  let pos = 0;
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;

  const fail = (message: string): never => {
    throw new XmlParseError(`${message} at offset ${pos}`);
  };

  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt < 0 ? source.length : lt;
    if (textEnd > pos) {
      const raw = source.slice(pos, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(raw);
      else if (raw.trim() !== '') fail('Text outside the root element');
      pos = textEnd;
      continue;
    }
    if (source.startsWith('<?', pos)) {
      const end = source.indexOf('?>', pos);
      if (end < 0) fail('Unterminated processing instruction');
      pos = end + 2;
    } else if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos);
      if (end < 0) fail('Unterminated comment');
      pos = end + 3;
    } else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos);
      const top = stack[stack.length - 1];
      if (end < 0 || !top) fail('Misplaced CDATA section');
      top!.text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<!', pos)) {
      fail('Document type declarations are not accepted');
    } else if (source.startsWith('</', pos)) {
      const end = source.indexOf('>', pos);
      if (end < 0) fail('Unterminated end tag');
      const name = localName(source.slice(pos + 2, end).trim());
      const open = stack.pop();
      if (!open || open.name !== name) fail(`Unexpected end tag </${name}>`);
      pos = end + 1;
    } else {
      const end = findTagEnd(source, pos);
      if (end < 0) fail('Unterminated start tag');
      const selfClosing = source[end - 1] === '/';
      const inner = source.slice(pos + 1, selfClosing ? end - 1 : end);
      const match = /^([A-Za-z_][\w.:-]*)(\s[\s\S]*)?$/.exec(inner.trimEnd());
      if (!match) fail('Bad start tag');
      checkAttributes(match![2] ?? '', fail);
      const node: XmlNode = { name: localName(match![1]!), children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(node);
      else if (root) fail('More than one root element');
      else root = node;
      if (!selfClosing) stack.push(node);
      pos = end + 1;
    }
  }
  if (stack.length > 0) fail(`Unclosed element <${stack[stack.length - 1]!.name}>`);
  if (!root) fail('No root element');
  return root!;
}

function findTagEnd(source: string, start: number): number {
  let quote: string | undefined;
  for (let i = start + 1; i < source.length; i++) {
    const char = source[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '<') return -1;
    else if (char === '>') return i;
  }
  return -1;
}

function checkAttributes(text: string, fail: (message: string) => never): void {
  const rest = text.replace(/\s*[A-Za-z_][\w.:-]*\s*=\s*("[^"<]*"|'[^'<]*')/g, '');
  if (rest.trim() !== '') fail('Bad attribute');
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

/** The first child called `name`. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((candidate) => candidate.name === name);
}

/** Every child called `name`. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((candidate) => candidate.name === name) ?? [];
}

/** The text of the first child called `name`, trimmed; undefined when absent. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const found = child(node, name);
  return found === undefined ? undefined : found.text.trim();
}

/** A list rendered as `<Wrapper><Member>…</Member>…</Wrapper>`. */
export class XmlList {
  constructor(
    readonly member: string,
    readonly items: readonly XmlValue[],
  ) {}
}

export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | XmlList
  | { readonly [key: string]: XmlValue };

export const xmlList = (member: string, items: readonly XmlValue[]): XmlList => new XmlList(member, items);

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Renders `<name>value</name>`; undefined and null render nothing. */
export function xmlElement(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (value instanceof XmlList) {
    return `<${name}>${value.items.map((item) => xmlElement(value.member, item)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([key, item]) => xmlElement(key, item))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole document with its namespace on the root element. */
export function xmlDocument(
  root: string,
  namespace: string,
  body: { readonly [key: string]: XmlValue },
): string {
  const inner = Object.entries(body)
    .map(([key, item]) => xmlElement(key, item))
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${namespace}">${inner}</${root}>`;
}
