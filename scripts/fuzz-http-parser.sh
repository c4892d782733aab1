#!/usr/bin/env bash
# Fuzzes the HTTP/1.1 request and response parsers; kept for habit, scripts/fuzz.sh runs every target.
# Usage: scripts/fuzz-http-parser.sh [seconds]   (default 60). Exits non-zero on a crash or a build failure.
set -euo pipefail
exec "$(dirname "$0")/fuzz.sh" "${1:-60}" http-request http-response
