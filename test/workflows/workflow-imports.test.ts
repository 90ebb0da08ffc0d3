import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
/** Where workflow code may come from: the folders the determinism lint covers (eslint.config.mjs). */
const deterministicFolders = ['workflows', 'domain', 'agencies'];

/** Every project module reachable from the workflows' entry, following relative imports. */
function reachableModules(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), fileName);
      const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f));
      if (found) visit(found);
    }
  };
  visit(entry);
  return seen;
}

describe('what workflow code imports', () => {
  const modules = [...reachableModules(path.join(root, 'workflows', 'index.ts'))].map((f) => path.relative(root, f));

  it('reaches the workflows and the domain they build on', () => {
    expect(modules).toContain('workflows/household-run.ts');
    expect(modules.some((m) => m.startsWith('domain/'))).toBe(true);
  });

  it('is only workflows/ and domain/ code, all under the determinism lint', () => {
    const outside = modules.filter((m) => !deterministicFolders.includes(m.split(path.sep)[0]!));
    expect(outside).toEqual([]);
    const lint = readFileSync(path.join(root, 'eslint.config.mjs'), 'utf8');
    for (const folder of new Set(modules.map((m) => m.split(path.sep)[0]!))) expect(lint).toContain(`'${folder}/**/*.ts'`);
  });
});
