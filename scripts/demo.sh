#!/usr/bin/env bash
# Quick-start command 1: the demo portal with demo data on embedded SQLite.
# Backend on http://localhost:7007, frontend on http://localhost:3000.
# Data lives in .data/sqlite (delete it for a fresh start); the demo
# incidents in examples/incidents are added once the backend answers, when
# there are none yet.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
mkdir -p .data/sqlite

(
  for _ in $(seq 1 180); do
    if curl -sf http://localhost:7007/api/incidents/health >/dev/null 2>&1; then
      # the catalog needs a moment to ingest examples/ before services validate
      for _ in $(seq 1 30); do
        node examples/incidents/seed.mjs && exit 0
        sleep 5
      done
      exit 1
    fi
    sleep 2
  done
) &

exec yarn start "$@"
