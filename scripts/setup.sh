#!/usr/bin/env bash
# Installs what is missing: npm packages from the lockfile, the pinned Temporal CLI, and Chromium
# (Debian's package) for the browser tests.
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
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "The browser tests need Chromium: run 'sudo apt-get install -y chromium' (Debian's package), then again." >&2
    exit 1
  fi
  echo "Installing Chromium from Debian's packages..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
