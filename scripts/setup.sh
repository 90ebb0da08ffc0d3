#!/usr/bin/env bash
# Installs what is missing: npm packages from the lockfile and the pinned Temporal CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages from package-lock.json..." >&2
  npm ci --no-audit --no-fund
fi
bash scripts/install-temporal.sh
