import { existsSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** What scripts/install-temporal-server.sh (and install-temporal.sh) link under .tools/. */
export const clusterTools = {
  server: path.join(repoRoot, '.tools', 'temporal-server'),
  sqlTool: path.join(repoRoot, '.tools', 'temporal-sql-tool'),
  uiServer: path.join(repoRoot, '.tools', 'temporal-ui-server'),
  /** The server module's schema/ directory: postgresql/v12/{temporal,visibility}/versioned. */
  schema: path.join(repoRoot, '.tools', 'temporal-schema'),
  /** The UI server module's config/ directory, whose docker.yaml the temporalio/ui image runs with. */
  uiConfig: path.join(repoRoot, '.tools', 'temporal-ui-config'),
  cli: path.join(repoRoot, '.tools', 'temporal'),
};

/** Fails with the command that installs them when any is missing. */
export function checkClusterTools(): void {
  const missing = Object.values(clusterTools).filter((file) => !existsSync(file));
  if (missing.length) throw new Error(`missing ${missing.map((f) => path.relative(repoRoot, f)).join(', ')}: run "bash scripts/install-temporal-server.sh" (and "npm run setup") first`);
}

/** The compiled build the cluster runs (npm run build). */
export const distEntry = (entry: string) => path.join(repoRoot, 'dist', entry);

export function checkBuild(): void {
  for (const entry of ['api/main.js', 'worker/main.js', 'worker/workflows.bundle.js', 'dev/simulators/main.js', 'dev/mail-sink/main.js']) {
    if (!existsSync(distEntry(entry))) throw new Error(`the compiled build lacks dist/${entry}: run "npm run build" first`);
  }
}
