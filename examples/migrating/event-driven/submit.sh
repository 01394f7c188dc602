#!/usr/bin/env bash
# Submits the DAG to a running 'weft server' and starts a run with an event as its conf, as the event-driven engine's
# clients do. Needs WEFT_TOKEN (author or admin role) and, optionally, WEFT_URL (default http://127.0.0.1:8080).
set -euo pipefail
url="${WEFT_URL:-http://127.0.0.1:8080}"
here="$(dirname "$0")"
curl -fsS -X PUT "$url/api/v1/dags/order_events" -H "Authorization: Bearer $WEFT_TOKEN" \
  -H 'Content-Type: application/json' --data-binary @"$here/order_events.json"
echo
curl -fsS -X POST "$url/api/v1/dags/order_events/dagRuns" -H "Authorization: Bearer $WEFT_TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"conf": {"event": {"order_id": "A-17", "items": [{"sku": "tea", "qty": 2}]}, "port": '"${url##*:}"'}}'
echo
