#!/usr/bin/env bash
# The one command that runs the app: sets up what is missing, then starts the server on one port
# (Next.js pages + Socket.IO signaling + mediasoup SFU). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 NEXT_IGNORE_INCORRECT_LOCKFILE=1
scripts/setup.sh
export NODE_ENV=production
exec node --import tsx server/main.ts
