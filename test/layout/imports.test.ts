import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
/** Where workflow code may come from: the folders the determinism lint covers (eslint.config.mjs). */
const deterministicFolders = ['workflows', 'domain', 'agencies'];
/** What ships: none of it may lean on what stands in for the outside world, or on tests. */
const productFolders = ['activities', 'agencies', 'api', 'cli', 'cohort', 'config', 'domain', 'lib', 'records', 'temporal', 'worker', 'workflows'];

const topFolder = (file: string) => path.relative(root, file).split(path.sep)[0]!;

/** The project files a module imports (relative imports resolved to .ts files). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.flatMap(({ fileName }) => {
    if (!fileName.startsWith('.')) return [];
    const base = path.resolve(path.dirname(file), fileName);
    return [`${base}.ts`, path.join(base, 'index.ts')].filter((f) => existsSync(f)).slice(0, 1);
  });
}

/** Every project module reachable from an entry. */
function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    importsOf(file).forEach(visit);
  };
  visit(entry);
  return seen;
}

function tsFilesUnder(folder: string): string[] {
  const dir = path.join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

describe('the import graph follows the layout', () => {
  it('workflow code reaches only workflows/, domain/ and agencies/, all under the determinism lint', () => {
    const modules = [...reachableFrom(path.join(root, 'workflows', 'index.ts'))];
    expect(modules.map((m) => path.relative(root, m))).toContain(path.join('workflows', 'household-run.ts'));
    const outside = modules.filter((m) => !deterministicFolders.includes(topFolder(m))).map((m) => path.relative(root, m));
    expect(outside).toEqual([]);
    const lint = readFileSync(path.join(root, 'eslint.config.mjs'), 'utf8');
    for (const folder of new Set(modules.map(topFolder))) expect(lint).toContain(`'${folder}/**/*.ts'`);
  });

  it('product code imports nothing from dev/ or test/', () => {
    const files = productFolders.flatMap(tsFilesUnder);
    expect(files.length).toBeGreaterThan(50);
    const leaks = files.flatMap((f) => importsOf(f).filter((i) => ['dev', 'test'].includes(topFolder(i))).map((i) => `${path.relative(root, f)} -> ${path.relative(root, i)}`));
    expect(leaks).toEqual([]);
  });

  it('benchmarks, scripts and dev tools import no test helpers', () => {
    const files = ['bench', 'scripts', 'dev'].flatMap(tsFilesUnder);
    const leaks = files.flatMap((f) => importsOf(f).filter((i) => topFolder(i) === 'test').map((i) => `${path.relative(root, f)} -> ${path.relative(root, i)}`));
    expect(leaks).toEqual([]);
  });

  it('the API reaches no activity module', () => {
    const leaks = tsFilesUnder('api').flatMap((f) => [...reachableFrom(f)].filter((i) => topFolder(i) === 'activities').map((i) => `${path.relative(root, f)} -> ${path.relative(root, i)}`));
    expect(leaks).toEqual([]);
  });
});
