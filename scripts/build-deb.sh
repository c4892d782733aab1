#!/usr/bin/env bash
# Builds the Debian package verbund_<version>_<arch>.deb from the static release build, with dpkg-deb only (no
# packaging dependencies): /usr/bin/verbund, the hardened systemd unit, man pages generated from `--help`, the
# guides under /usr/share/doc/verbund, and maintainer scripts that create the `verbund` system user,
# /etc/verbund (0750) and /var/lib/verbund (0700).
#
# Usage: scripts/build-deb.sh [OUT-DIR]     (default OUT-DIR: .build-deb; prints the path of the .deb)
# Check: lintian OUT-DIR/verbund_*.deb; sudo dpkg -i OUT-DIR/verbund_*.deb; systemd-analyze verify verbund.service
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/.build-deb}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

echo "build-deb: static release build" >&2
(cd "$ROOT" && swift build -c release --static-swift-stdlib -Xlinker -z -Xlinker now --product verbund \
  --scratch-path "$ROOT/.build-static" 2>&1 | tail -1 >&2)
BINARY="$ROOT/.build-static/release/verbund"
VERSION="$("$BINARY" --version | awk '{print $2}')"
ARCH="$(dpkg --print-architecture)"
# Reproducible: every timestamp in the package is the last commit's (https://reproducible-builds.org/specs/source-date-epoch/).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}"

# The city or service provider that builds the package can name itself; lintian refuses a local-only address.
MAINTAINER="${VERBUND_DEB_MAINTAINER:-Verbund maintainers <maintainers@verbund.example.org>}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/verbund_${VERSION}_${ARCH}"
DOC="$STAGE/usr/share/doc/verbund"

install -D -m 0755 "$BINARY" "$STAGE/usr/bin/verbund"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$STAGE/usr/bin/verbund"
install -D -m 0644 "$ROOT/docs/verbund.service" "$STAGE/lib/systemd/system/verbund.service"

install -d -m 0755 "$DOC" "$STAGE/usr/share/man/man1"
for guide in operator federation-admin auditor policies management-api security tls architecture; do
  install -m 0644 "$ROOT/docs/$guide.md" "$DOC/$guide.md"
done
install -d -m 0755 "$DOC/monitoring"
install -m 0644 "$ROOT"/docs/monitoring/* "$DOC/monitoring/"
install -m 0644 "$ROOT/scripts/debian/copyright" "$DOC/copyright"
CHANGELOG_DATE="$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
printf 'verbund (%s) unstable; urgency=medium\n\n  * Release %s, built from the Verbund repository.\n\n -- %s  %s\n' \
  "$VERSION" "$VERSION" "$MAINTAINER" "$CHANGELOG_DATE" | gzip -9n > "$DOC/changelog.gz"

python3 "$ROOT/scripts/man-pages.py" "$BINARY" "$STAGE/usr/share/man/man1"
gzip -9n "$STAGE"/usr/share/man/man1/*.1

# Runtime libraries as dpkg-shlibdeps finds them (it wants a debian/control to read; give it a minimal one).
mkdir -p "$WORK/src/debian"
printf 'Source: verbund\n\nPackage: verbund\nArchitecture: any\n' > "$WORK/src/debian/control"
SHLIBS="$(cd "$WORK/src" && dpkg-shlibdeps -O "$STAGE/usr/bin/verbund" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"

install -d -m 0755 "$STAGE/DEBIAN"
install -m 0755 "$ROOT/scripts/debian/postinst" "$ROOT/scripts/debian/postrm" "$STAGE/DEBIAN/"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: verbund
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: adduser, ${SHLIBS}
Section: net
Priority: optional
Description: connector of a federated inter-municipal data space
 Verbund lets partner cities share datasets under usage contracts: it
 publishes a city's DCAT-AP.de catalog, negotiates contracts with peer
 cities over mutually authenticated TLS (Dataspace Protocol 2025-1), signs
 them, keeps a tamper-evident log and releases data only under a contract
 both cities signed. One daemon, on the system's OpenSSL 3 and SQLite 3.
CONTROL

(cd "$STAGE" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
chmod 0644 "$STAGE/DEBIAN/md5sums"
find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
DEB="$OUT/verbund_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >&2
echo "$DEB"
