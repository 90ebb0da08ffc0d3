#!/usr/bin/env bash
# One command runs Sinergi on its embedded defaults: Temporal dev server + UI, worker,
# ministry simulators and API. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node_modules/.bin/tsx scripts/start.ts
