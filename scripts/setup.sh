#!/usr/bin/env bash
# Installs what is missing: npm packages from the lockfile and the pinned Temporal CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages from package-lock.json..." >&2
  # Not `npm ci`: the registry these machines reach lacks other platforms' optional binaries
  # (@swc/core-darwin-*, ...), so the lockfile cannot list them and `npm ci` refuses it;
  # `npm install` with an in-sync lockfile installs exactly the locked versions.
  npm install --no-audit --no-fund
fi
bash scripts/install-temporal.sh
