/**
 * A value as a JSON parameter PostgreSQL accepts. jsonb (and text) cannot hold U+0000: a NUL in
 * any string, say a reason someone pasted, failed the whole write, and a workflow whose record
 * write kept failing kept retrying it, holding its task and every control sent to it. Each NUL
 * becomes U+FFFD, the character that says one was unreadable; everything else is kept as sent.
 */
export function jsonParam(value: unknown): string {
  // JSON.stringify writes a NUL as the escape \u0000 and a backslash as \\: an escape preceded by an even run of backslashes is a NUL.
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}
