#!/usr/bin/env bash
# Builds every libFuzzer target of Verbund into one binary (libFuzzer + AddressSanitizer) and runs each target for
# a bounded time with its seed corpus from Fuzz/corpus/<target>/ (Fuzz/FuzzTarget.swift lists what each checks).
# Usage: scripts/fuzz.sh [seconds-per-target] [target ...]   (default 20 s, every target)
# Targets run two at a time (one per core). Exits non-zero on a build failure or on any crash, trap, failed
# property, leak or input slower than 5 s; the input that did it is kept as .build-fuzz/<target>-crash-*.
set -euo pipefail
seconds="${1:-20}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build-fuzz"
all_targets=(http-request http-response range json canonical-json dsp jws x509 registry merkle evidence xsd-datetime iso-duration)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi
cd "$root"
mkdir -p "$out/modules" "$out/objects"

# Each library is its own module (as in Package.swift), compiled whole-module with coverage and ASan; -enable-testing
# lets the targets reach internal parsers, -package-name their `package` API. A module whose object is newer than
# its sources (and whose dependencies were not rebuilt) is reused.
flags=(-swift-version 6 -sanitize=fuzzer,address -parse-as-library -O -enable-testing -package-name verbund -wmo
       -I "$out/modules" -I Sources/COpenSSL -I Sources/CSQLite)
rebuilt=no
module() {
    local name="$1"; shift
    local object="$out/objects/$name.o"
    if [ "$rebuilt" = no ] && [ -f "$object" ] && [ -z "$(find "$@" "$0" -newer "$object")" ]; then return; fi
    rebuilt=yes
    swiftc "${flags[@]}" -module-name "$name" -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
        -c "$@" -o "$object"
}
started=$(date +%s)
module VerbundJSON Sources/VerbundJSON/*.swift
module VerbundHTTP Sources/VerbundHTTP/*.swift
module VerbundTrust $(find Sources/VerbundTrust -name '*.swift')
module VerbundDataspace $(find Sources/VerbundDataspace -name '*.swift')
module VerbundFederation $(find Sources/VerbundFederation -name '*.swift')
module VerbundStore $(find Sources/VerbundStore -name '*.swift')
module VerbundAudit $(find Sources/VerbundAudit -name '*.swift')
# The evidence verifier lives in VerbundConnector; its folder needs nothing else of that module.
module VerbundConnector $(find Sources/VerbundConnector/Audit/Evidence/Verification -name '*.swift')
module VerbundFuzz Fuzz/*.swift
if [ "$rebuilt" = yes ] || [ ! -x "$out/verbund-fuzz" ]; then
    # ld.gold warns once per ASan helper symbol; those lines are noise.
    swiftc -sanitize=fuzzer,address "$out"/objects/*.o -lssl -lcrypto -lsqlite3 -o "$out/verbund-fuzz" 2>&1 \
        | { grep -v "Cannot export local symbol" || true; }
fi
echo "fuzz build: $(( $(date +%s) - started )) s"

# Runs one target; its libFuzzer output goes to .build-fuzz/<target>.log.
run() {
    local target="$1"
    local corpus="$out/corpus/$target"
    mkdir -p "$corpus"
    local seeds=()
    [ -d "Fuzz/corpus/$target" ] && seeds=("Fuzz/corpus/$target")
    # New inputs go to the scratch corpus under .build-fuzz; the committed seeds stay untouched. OpenSSL and the
    # Swift runtime keep per-thread and lazily built state, which made libFuzzer's leak scan after every input run
    # 100 times slower; LeakSanitizer still checks for leaks when the process exits (-detect_leaks=0 only skips the
    # scans in between).
    # No Swift backtracer: it reads memory ASan then reports; libFuzzer prints the stack itself.
    SWIFT_BACKTRACE=enable=no VERBUND_FUZZ_TARGET="$target" VERBUND_FUZZ_REPOSITORY="$root" \
        "$out/verbund-fuzz" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -detect_leaks=0 \
        -max_len=16384 -artifact_prefix="$out/$target-" -print_final_stats=1 >"$out/$target.log" 2>&1
}
report() {
    local target="$1" status="$2"
    local executions
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$target.log")
    if [ "$status" -eq 0 ]; then
        printf '%-16s ok      %10s executions in %s s\n' "$target" "${executions:-?}" "$seconds"
    else
        printf '%-16s FAILED  (exit %s)\n' "$target" "$status"
        grep -E "ERROR|Fatal error|SUMMARY|Test unit written|==[0-9]+==" "$out/$target.log" | head -20
        failed+=("$target")
    fi
}
failed=()
parallel=2
for ((i = 0; i < ${#targets[@]}; i += parallel)); do
    batch=("${targets[@]:i:parallel}")
    pids=()
    for target in "${batch[@]}"; do run "$target" & pids+=($!); done
    for j in "${!batch[@]}"; do
        status=0
        wait "${pids[$j]}" || status=$?
        report "${batch[$j]}" "$status"
    done
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (logs and inputs under $out/)" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets ran $seconds s each without a crash ($(( $(date +%s) - started )) s in all)"
