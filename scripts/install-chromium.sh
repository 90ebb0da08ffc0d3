#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (never a downloaded browser):
# installed here, by `npm test`, when missing.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "The browser tests need Chromium: run 'sudo apt-get install -y chromium' (Debian's package), then again." >&2
    exit 1
  fi
  echo "Installing Chromium from Debian's packages..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
