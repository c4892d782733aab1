#!/bin/sh
# Makes the DEMO federation in certs/demo-federation-DO-NOT-USE with the `verbund` CLI.
# Demo material only: its private keys are generated locally, are not committed, and must never be used
# for a real federation. Re-run it whenever you want fresh material (the CRL is valid for 30 days).
#
# Usage: certs/make-demo-federation.sh            (builds verbund with `swift build` if $VERBUND is unset)
#        VERBUND=/path/to/verbund certs/make-demo-federation.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
demo="$here/demo-federation-DO-NOT-USE"
if [ -z "${VERBUND:-}" ]; then
    (cd "$here/.." && swift build --product verbund >/dev/null)
    VERBUND="$(cd "$here/.." && swift build --show-bin-path)/verbund"
fi

# Keep the README; replace everything else.
find "$demo" -mindepth 1 -maxdepth 1 ! -name README.md ! -name .gitignore -exec rm -rf {} + 2>/dev/null || true
mkdir -p "$demo"

"$VERBUND" federation init --dir "$demo/admin" --id demo --name "Demo-Verbund (DO NOT USE)"

# The public files a member receives, as federation-config/README.md describes them; the cities point at these.
publish() {
    mkdir -p "$demo/public"
    cp "$demo/admin/root.pem" "$demo/admin/registry.jws" "$demo/admin/crl.pem" "$demo/public/"
}
publish

port=9443
for city in "jena:Stadt Jena (Demo):16053000" "erfurt:Stadt Erfurt (Demo):16051000" "weimar:Stadt Weimar (Demo):16055000"; do
    id=${city%%:*}; rest=${city#*:}; name=${rest%%:*}; ags=${rest#*:}
    "$VERBUND" member init --dir "$demo/$id" --id "$id" --name "$name" --ags "$ags" \
        --federation "$demo/public" --listen "127.0.0.1:$port" --endpoint "https://localhost:$port/dsp" \
        --management "127.0.0.1:$((port + 1))" >/dev/null
    "$VERBUND" federation admit --dir "$demo/admin" --csr "$demo/$id/member.csr" --ags "$ags" \
        --endpoint "https://localhost:$port/dsp" --out "$demo/$id/member.pem" >/dev/null
    port=$((port + 10))
done

# Weimar shows what a suspension looks like.
"$VERBUND" federation suspend --dir "$demo/admin" --member weimar --reason "demo: suspended member" >/dev/null

publish

"$VERBUND" federation show --dir "$demo/admin"
"$VERBUND" federation verify --dir "$demo/admin"
