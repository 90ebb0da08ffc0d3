#!/usr/bin/env bash
# `npm run fuzz [maxExamples] [maxSeconds per role]`: fuzzes the API from its OpenAPI document
# with schemathesis (pinned, installed once by fuzz-setup.sh) against the in-process stack.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
schemathesis="$(bash scripts/fuzz-setup.sh)"
exec node --import tsx scripts/fuzz-api.ts "$schemathesis" "$@"
