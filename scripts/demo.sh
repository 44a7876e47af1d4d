#!/usr/bin/env bash
# Quick-start command 1: the demo portal with demo data on embedded SQLite.
# Backend on http://localhost:7007, frontend on http://localhost:3000.
# Data lives in .data/sqlite (delete it for a fresh start).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
mkdir -p .data/sqlite
exec yarn start "$@"
