/**
 * Text from a plan (ids, names, messages) is the user's, and a terminal obeys
 * control characters: an id holding ESC sequences could set the window title,
 * clear the screen, or print a fake "succeeded" line. Everything printed from a
 * plan goes through `printable`, which shows such characters escaped instead.
 */

// C0 controls but tab, DEL, C1 controls, line/paragraph separators and bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const unprintable = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\e' };

/** `text` with every control character shown as an escape (`\e`, `\n`, `\x07`, `\u{202e}`). */
export function printable(text: string): string {
  return text.replace(unprintable, (char) => {
    const code = char.charCodeAt(0);
    return (
      named[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`)
    );
  });
}

/** A copy of `value` with `printable` applied to every string in it (keys included), for rendering. */
export function printableCopy<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map((item) => printableCopy(item)) as T;
  if (value instanceof Error) {
    // Keep the class (FailoverError's kind, isInstance) and its own fields, message included.
    const copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(value)) {
      copy[key] = printableCopy((value as unknown as Record<string, unknown>)[key]);
    }
    return copy as T;
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[printable(key)] = printableCopy(item);
    return copy as T;
  }
  return value;
}
