#!/usr/bin/env bash
# Builds every libFuzzer target of Verbund into one binary (libFuzzer + AddressSanitizer) and runs each target for
# a bounded time with its seed corpus from Fuzz/corpus/<target>/.
# Usage: scripts/fuzz.sh [seconds-per-target] [target ...]   (default 20 s, every target)
# Exits non-zero on a build failure or on any crash, trap, leak, or input slower than 5 s (artifacts in .build-fuzz/).
set -euo pipefail
seconds="${1:-20}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build-fuzz"
all_targets=(http-request http-response range json canonical-json dsp jws x509 registry merkle evidence xsd-datetime iso-duration)
targets=("${@:-${all_targets[@]}}")
cd "$root"
mkdir -p "$out/modules" "$out/objects"

# Each library is its own module (as in Package.swift), compiled whole-module with coverage and ASan; -enable-testing
# lets the targets reach internal parsers, -package-name their `package` API.
flags=(-sanitize=fuzzer,address -parse-as-library -O -enable-testing -package-name verbund -wmo -num-threads 2
       -I "$out/modules" -I Sources/COpenSSL -I Sources/CSQLite -g0)
module() {
    local name="$1"; shift
    swiftc "${flags[@]}" -module-name "$name" -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
        -c "$@" -o "$out/objects/$name.o"
}
started=$(date +%s)
module VerbundJSON Sources/VerbundJSON/*.swift
module VerbundHTTP Sources/VerbundHTTP/*.swift
module VerbundTrust $(find Sources/VerbundTrust -name '*.swift')
module VerbundDataspace $(find Sources/VerbundDataspace -name '*.swift')
module VerbundFederation $(find Sources/VerbundFederation -name '*.swift')
module VerbundStore $(find Sources/VerbundStore -name '*.swift')
module VerbundAudit $(find Sources/VerbundAudit -name '*.swift')
# The evidence verifier lives in VerbundConnector; only its folder is needed, compiled with the targets.
swiftc "${flags[@]}" -module-name VerbundConnector -c \
    $(find Sources/VerbundConnector/Audit/Evidence/Verification -name '*.swift') Fuzz/*.swift -o "$out/objects/VerbundConnector.o"
swiftc -sanitize=fuzzer,address "$out"/objects/*.o -lssl -lcrypto -lsqlite3 -o "$out/verbund-fuzz"
echo "fuzz build: $(( $(date +%s) - started )) s"

failed=()
for target in "${targets[@]}"; do
    corpus="$out/corpus/$target"
    mkdir -p "$corpus"
    seeds=()
    [ -d "Fuzz/corpus/$target" ] && seeds=("Fuzz/corpus/$target")
    echo "== $target ($seconds s)"
    # New inputs go to the scratch corpus under .build-fuzz; the committed seeds stay untouched.
    if ! VERBUND_FUZZ_TARGET="$target" VERBUND_FUZZ_ROOT="$root/Fuzz/corpus/root.pem" \
        "$out/verbund-fuzz" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 \
        -max_len=16384 -artifact_prefix="$out/$target-" -print_final_stats=1 2>"$out/$target.log"; then
        tail -40 "$out/$target.log"
        failed+=("$target")
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/$target.log" | sed "s/^/  /"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (inputs under $out/)" >&2
    exit 1
fi
echo "fuzz: every target ran without a crash"
