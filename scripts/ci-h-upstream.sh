#!/usr/bin/env bash
# CI step (issue 11, API datasets): Debian's nginx is the real HTTPS upstream of the API dataset tests
# (Tests/VerbundConnectorTests/Upstream/NginxUpstream.swift: TLS from a CA the test makes with openssl, HTTP basic
# authentication, a required client certificate, static JSON and a 64 MiB file). Installs nginx-light with apt-get when
# no nginx is there (as root, as CI runs; the tests start nginx themselves as a user process and never use the system
# service), then runs those tests with every outside checker required. Idempotent.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "ci-h-upstream: installing Debian's nginx-light"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
  else
    echo "ci-h-upstream: nginx missing and not root; run: apt-get install nginx-light" >&2
    exit 1
  fi
fi
command -v openssl >/dev/null 2>&1 || { echo "ci-h-upstream: openssl missing (apt-get install openssl)" >&2; exit 1; }
cd "$ROOT"
swift build --build-tests 2>&1 | grep -E "error|Build" | tail -5
VERBUND_REQUIRE_OUTSIDE_CHECKERS=1 swift test --skip-build \
  --filter 'NginxAPIDatasetTests|APIDatasetTests|UpstreamRelayTests|UpstreamRequestHeadersTests' 2>&1 | tail -5
