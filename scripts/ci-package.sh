#!/usr/bin/env bash
# CI step (issue 14): build the Debian package, check it with lintian, install it with dpkg -i on this machine, and
# check the installed binary and the systemd unit. Needs root for dpkg -i (CI runs as root); installs lintian.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v lintian >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends lintian >/dev/null
fi
DEB="$("$ROOT/scripts/build-deb.sh" "$ROOT/.build-deb")"
echo "package: $DEB ($(du -h "$DEB" | cut -f1))"
# Errors and warnings fail; the overrides the package carries say why each is accepted.
lintian --fail-on error,warning --tag-display-limit 0 "$DEB"
dpkg -i "$DEB" >/dev/null
/usr/bin/verbund --version
test "$(stat -c '%a %U' /var/lib/verbund)" = "700 verbund"
test "$(stat -c '%a %U' /etc/verbund)" = "700 verbund"
man -w verbund-serve >/dev/null
systemd-analyze verify /lib/systemd/system/verbund.service
echo "package: installed, verbund --version answers, the unit verifies"
