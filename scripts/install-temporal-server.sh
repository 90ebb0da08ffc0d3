#!/usr/bin/env bash
# Installs the production Temporal pieces for `npm run cluster` with `go install`, each into a
# per-user cache keyed by version (like scripts/install-temporal.sh), and links them under .tools/:
#   .tools/temporal-server     go.temporal.io/server/cmd/server             (the server)
#   .tools/temporal-sql-tool   go.temporal.io/server/cmd/tools/sql          (schema tool, binary `sql`)
#   .tools/temporal-ui-server  github.com/temporalio/ui-server/v2/cmd/server (UI, assets embedded)
#   .tools/temporal-schema     the server module's schema/ directory (in the Go module cache)
#   .tools/temporal-ui-config  the UI module's config/ directory (docker.yaml: the UI image's config)
# Versions match docker-compose.yml's images: temporalio/server:1.29.1 and temporalio/ui:2.42.1.
# The first build takes minutes (about 4 on 2 cores); later runs only check the cached binaries.
set -euo pipefail
SERVER_VERSION="v1.29.1"
UI_VERSION="v2.42.1"
SERVER_MODULE="go.temporal.io/server"
UI_MODULE="github.com/temporalio/ui-server/v2"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE_ROOT="${SINERGI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sinergi}"
SERVER_DIR="$CACHE_ROOT/temporal-server/$SERVER_VERSION"
UI_DIR="$CACHE_ROOT/temporal-ui-server/$UI_VERSION"

if ! command -v go >/dev/null 2>&1; then
  echo "error: Go is not installed. Sinergi builds the Temporal server with Go 1.25+ (apt-get install golang-go, or see go.dev/doc/install)." >&2
  exit 1
fi

# up_to_date BIN MODULE VERSION: BIN exists and was built from MODULE at VERSION.
up_to_date() {
  [ -x "$1" ] && go version -m "$1" 2>/dev/null | grep -Eq "^\s+mod\s+$2\s+$3\b"
}

# install GOBIN PACKAGE@VERSION, with the same checksum-database fallback as install-temporal.sh.
install() {
  local gobin="$1" target="$2" log
  mkdir -p "$gobin"
  log="$(mktemp)"
  if ! GOBIN="$gobin" GOFLAGS=-mod=mod go install "$target" 2>"$log"; then
    if grep -Eq "verifying .*(checksum database|$(go env GOSUMDB | cut -d' ' -f1))" "$log"; then
      # Only the checksum database is out of reach: verify against the copy the module proxy serves.
      local proxy sumdb
      proxy="$(go env GOPROXY | cut -d, -f1)"
      sumdb="$(go env GOSUMDB | cut -d' ' -f1)"
      echo "warning: the Go checksum database is unreachable; verifying with the module proxy's copy ($proxy)." >&2
      GOBIN="$gobin" GOSUMDB="$sumdb $proxy/sumdb/$sumdb" go install "$target" || { cat "$log" >&2; rm -f "$log"; exit 1; }
    else
      cat "$log" >&2
      rm -f "$log"
      echo "error: could not install $target: is the Go module proxy ($(go env GOPROXY)) reachable?" >&2
      exit 1
    fi
  fi
  rm -f "$log"
}

started=$SECONDS
built=""
# Both the server and the UI server build a binary named `server`: each module gets its own GOBIN.
if ! up_to_date "$SERVER_DIR/server/server" "$SERVER_MODULE" "$SERVER_VERSION"; then
  echo "Building Temporal server $SERVER_VERSION into $SERVER_DIR (first time only, a few minutes)..." >&2
  install "$SERVER_DIR/server" "$SERVER_MODULE/cmd/server@$SERVER_VERSION"
  built=1
fi
if ! up_to_date "$SERVER_DIR/sql/sql" "$SERVER_MODULE" "$SERVER_VERSION"; then
  echo "Building temporal-sql-tool $SERVER_VERSION into $SERVER_DIR..." >&2
  install "$SERVER_DIR/sql" "$SERVER_MODULE/cmd/tools/sql@$SERVER_VERSION"
  built=1
fi
if ! up_to_date "$UI_DIR/server" "$UI_MODULE" "$UI_VERSION"; then
  echo "Building Temporal UI server $UI_VERSION into $UI_DIR..." >&2
  install "$UI_DIR" "$UI_MODULE/cmd/server@$UI_VERSION"
  built=1
fi

# module_dir MODULE@VERSION: its source in the module cache, where `go install` left it.
module_dir() {
  local dir
  dir="$(go env GOMODCACHE)/$1"
  [ -d "$dir" ] || dir="$(go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  echo "$dir"
}
# The SQL schemas ship in the server module's source; the UI image's config in the UI module's.
schema="$(module_dir "$SERVER_MODULE@$SERVER_VERSION")/schema"
ui_config="$(module_dir "$UI_MODULE@$UI_VERSION")/config"
for dir in "$schema/postgresql/v12/temporal/versioned" "$schema/postgresql/v12/visibility/versioned" "$ui_config"; do
  if [ ! -d "$dir" ]; then
    echo "error: $dir is missing (the Go module cache, $(go env GOMODCACHE), was cleaned?): remove $SERVER_DIR and $UI_DIR and run this again" >&2
    exit 1
  fi
done

mkdir -p "$ROOT/.tools"
ln -sfn "$SERVER_DIR/server/server" "$ROOT/.tools/temporal-server"
ln -sfn "$SERVER_DIR/sql/sql" "$ROOT/.tools/temporal-sql-tool"
ln -sfn "$UI_DIR/server" "$ROOT/.tools/temporal-ui-server"
ln -sfn "$schema" "$ROOT/.tools/temporal-schema"
ln -sfn "$ui_config" "$ROOT/.tools/temporal-ui-config"
if [ -n "$built" ]; then
  echo "Temporal server $SERVER_VERSION, sql tool and UI server $UI_VERSION ready under .tools/ (built in $((SECONDS - started)) s)" >&2
fi
