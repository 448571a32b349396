/** One requirement of a label selector, as the API server parses it. */
type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'absent' };

/** Whether a set of labels meets a selector. */
export type LabelMatcher = (labels: Record<string, string>) => boolean;

const keyPattern = /^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^(?:[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/**
 * Parses a `labelSelector` query as the API server does: equality-based
 * (`a=b`, `a==b`, `a!=b`) and set-based (`a in (b,c)`, `a notin (b)`, `a`,
 * `!a`) requirements, comma-separated, all of which must hold. `!=` and
 * `notin` also match objects without the label. Null when the selector is
 * not well formed (the API server answers 400).
 */
export function parseLabelSelector(raw: string | null): LabelMatcher | null {
  const requirements: Requirement[] = [];
  for (const part of splitRequirements(raw ?? '')) {
    const requirement = parseRequirement(part);
    if (!requirement) return null;
    requirements.push(requirement);
  }
  return (labels) => requirements.every((requirement) => meets(requirement, labels));
}

/** Splits on the commas that separate requirements, not those inside `( )`. */
function splitRequirements(raw: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of raw) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current);
  return parts;
}

function parseRequirement(part: string): Requirement | undefined {
  const text = part.trim();
  const set = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(text);
  if (set) {
    const values = (set[3] as string).split(',').map((v) => v.trim());
    if (!values.every((v) => valuePattern.test(v))) return undefined;
    return validKey(set[1], { key: set[1] as string, op: set[2] as 'in' | 'notin', values });
  }
  const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (equality) {
    const value = equality[3] as string;
    if (!valuePattern.test(value)) return undefined;
    const op = equality[2] === '!=' ? 'notin' : 'in';
    return validKey(equality[1], { key: equality[1] as string, op, values: [value] });
  }
  const absent = /^!\s*(\S+)$/.exec(text);
  if (absent) return validKey(absent[1], { key: absent[1] as string, op: 'absent' });
  return validKey(text, { key: text, op: 'exists' });
}

function validKey(key: string | undefined, requirement: Requirement): Requirement | undefined {
  return key !== undefined && keyPattern.test(key) ? requirement : undefined;
}

function meets(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  switch (requirement.op) {
    case 'exists':
      return has;
    case 'absent':
      return !has;
    case 'in':
      return has && requirement.values.includes(labels[requirement.key] as string);
    case 'notin':
      return !has || !requirement.values.includes(labels[requirement.key] as string);
  }
}
