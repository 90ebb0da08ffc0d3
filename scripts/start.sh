#!/usr/bin/env bash
# One command runs Sinergi on its embedded defaults: Temporal dev server + UI, worker,
# ministry simulators and API. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The console is served from its build; build it on first start (npm run build:console after changes).
[ -f dist/console/index.html ] || npm run -s build:console
# node --import tsx, not the tsx launcher: one process, so a signal reaches the supervisor once.
exec node --import tsx dev/start.ts
