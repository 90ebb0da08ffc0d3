#!/usr/bin/env bash
# Installs the pinned Temporal CLI (dev server + UI) with `go install` into a per-user cache
# keyed by version, so fresh clones and CI reuse it, and links it at .tools/temporal.
# Later CLI tags carry a `replace` directive and cannot be `go install`ed: keep v1.5.1.
set -euo pipefail
VERSION="v1.5.1"
MODULE="github.com/temporalio/cli"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE_DIR="${SINERGI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sinergi}/temporal-cli/$VERSION"
BIN="$CACHE_DIR/temporal"

link() { mkdir -p "$ROOT/.tools" && ln -sfn "$BIN" "$ROOT/.tools/temporal"; }

if [ -x "$BIN" ] && go version -m "$BIN" 2>/dev/null | grep -Eq "^\s+mod\s+$MODULE\s+$VERSION\b"; then
  link
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "error: Go is not installed. Sinergi builds its pinned Temporal CLI with Go 1.25+ (apt-get install golang-go, or see go.dev/doc/install)." >&2
  exit 1
fi

echo "Installing Temporal CLI $VERSION into $CACHE_DIR (first time only, a few minutes)..." >&2
mkdir -p "$CACHE_DIR"
log="$(mktemp)"
if ! GOBIN="$CACHE_DIR" GOFLAGS=-mod=mod go install "$MODULE/cmd/temporal@$VERSION" 2>"$log"; then
  if grep -Eq "verifying .*(checksum database|$(go env GOSUMDB | cut -d' ' -f1))" "$log"; then
    # Only the checksum database is out of reach: verify against the copy the module proxy serves.
    proxy="$(go env GOPROXY | cut -d, -f1)"
    echo "warning: the Go checksum database is unreachable; verifying with the module proxy's copy ($proxy)." >&2
    GOBIN="$CACHE_DIR" GOSUMDB="$(go env GOSUMDB | cut -d' ' -f1) $proxy/sumdb/$(go env GOSUMDB | cut -d' ' -f1)" \
      go install "$MODULE/cmd/temporal@$VERSION" || { cat "$log" >&2; exit 1; }
  else
    cat "$log" >&2
    echo "error: could not install the Temporal CLI: is the Go module proxy ($(go env GOPROXY)) reachable?" >&2
    exit 1
  fi
fi
rm -f "$log"
link
echo "Temporal CLI $VERSION ready at $BIN" >&2
