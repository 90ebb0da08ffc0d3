#!/usr/bin/env bash
# Installs the pinned schemathesis (and its pinned dependencies, scripts/fuzz-requirements.txt)
# into a per-user venv, once; `npm run fuzz` calls it. Nothing is downloaded at fuzz time.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REQUIREMENTS="$ROOT/scripts/fuzz-requirements.txt"
STAMP="$(sha256sum "$REQUIREMENTS" | cut -c1-12)"
VENV="${SINERGI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sinergi}/schemathesis/$STAMP"

if [ ! -x "$VENV/bin/schemathesis" ]; then
  command -v python3 >/dev/null 2>&1 || { echo "error: python3 (3.10+) is needed for the API fuzzer (apt-get install python3-venv)." >&2; exit 1; }
  echo "Installing schemathesis into $VENV (first time only)..." >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$REQUIREMENTS" \
    || { rm -rf "$VENV"; echo "error: could not install schemathesis from PyPI" >&2; exit 1; }
fi
echo "$VENV/bin/schemathesis"
