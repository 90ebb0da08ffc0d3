#!/usr/bin/env bash
# One command tests Sinergi: installs what is missing, type-checks, builds, then runs vitest
# against a real Temporal dev server that the test setup starts on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-chromium.sh
node_modules/.bin/tsc -p tsconfig.json
node_modules/.bin/tsc -p console/tsconfig.json
# The compiled build too: test/deploy/compiled-build.test.ts runs it as the Dockerfile does.
npm run -s build
exec node_modules/.bin/vitest run "$@"
