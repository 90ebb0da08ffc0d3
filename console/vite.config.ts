import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const consoleDir = fileURLToPath(new URL('.', import.meta.url));

/** `npm run build` bundles the console into dist/console, which the API serves at `/`. */
export default defineConfig({
  root: consoleDir,
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../dist/console', import.meta.url)), emptyOutDir: true, sourcemap: true },
  // `vite --config console/vite.config.ts` for live editing, against `npm start`'s API.
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
