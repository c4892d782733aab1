#!/bin/sh
# Transport benchmark: Verbund's mTLS HTTP server against `openssl s_server -WWW`, same client,
# same run (docs/performance.md). Builds in release mode, then passes its arguments on, e.g.
#   scripts/bench-transport.sh --seconds 10 --file-mib 1024 --markdown /tmp/transport.md
# Needs `openssl` on PATH and free space for the test file in $TMPDIR (or --workdir DIR).
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product verbund-bench
exec swift run -c release verbund-bench transport "$@"
