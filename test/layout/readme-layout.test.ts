import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

describe("the README's layout table", () => {
  it('lists every top-level folder in git, and no other', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.includes('/') && !f.startsWith('.'))
      .map((f) => f.split('/')[0]!);
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
    const listed = [...layout.matchAll(/^\| `([^`/]+)\/` \|/gm)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThan(5);
    expect([...new Set(listed)].sort()).toEqual([...new Set(tracked)].sort());
  });
});
