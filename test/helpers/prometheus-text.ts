/**
 * One sample's value in the Prometheus text format: the line of `name` whose labels are exactly
 * `labels` (in any order); undefined when there is none.
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).sort().map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}="${m[2]}"`).sort().join(',');
    if (found === wanted) return Number(match[3]);
  }
  return undefined;
}

/** Every sample line of a metric, for asserting which series exist. */
export const samplesOf = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
