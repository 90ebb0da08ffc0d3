#!/usr/bin/env bash
# npm run test:cluster: the production topology (npm run cluster's code, on free ports in a
# temporary directory) under a rollout with a worker killed and the Temporal server restarted.
# Installs what is missing (the first Temporal server build takes minutes), builds, then runs
# vitest with its own config (test/cluster/, which npm test leaves out).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-temporal-server.sh
# The cluster runs the compiled build, as the Docker image does.
npm run -s build
exec node_modules/.bin/vitest run --config vitest.cluster.config.ts "$@"
