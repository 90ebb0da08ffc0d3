#!/usr/bin/env bash
# Signs a webhook body the Standard Webhooks way and posts it to Sinergi, as a ministry would.
# Usage: scripts/send-webhook.sh <agency> <whsec_secret> <body.json> [webhook-id] [sinergi-url]
# Needs only bash, coreutils (base64, od), openssl and curl.
set -euo pipefail
agency="$1"; secret="$2"; body="$(cat "$3")"
id="${4:-msg_$(date +%s%N)}"; url="${5:-http://127.0.0.1:8080}"
ts="$(date +%s)"
# The key is the base64 part of whsec_...; the signed content is "<id>.<timestamp>.<body>".
key_hex="$(printf '%s' "${secret#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')"
sig="$(printf '%s' "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64)"
curl -sS -X POST "$url/v1/webhooks/$agency" \
  -H 'content-type: application/json' \
  -H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig" \
  --data-binary "$body"
echo
