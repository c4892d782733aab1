#!/usr/bin/env bash
# Builds the HTTP/1.1 request parser with libFuzzer + AddressSanitizer and fuzzes it.
# Usage: scripts/fuzz-http-parser.sh [seconds]   (default 60). Exits non-zero on a crash or a build failure.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build-fuzz"
mkdir -p "$out/corpus"
cd "$root"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name VerbundHTTPFuzz \
    Sources/VerbundHTTP/*.swift Fuzz/HTTPRequestParserFuzz.swift -o "$out/http-request-parser-fuzz"
# New inputs go to the scratch corpus under .build-fuzz; the committed seeds stay untouched.
"$out/http-request-parser-fuzz" "$out/corpus" Fuzz/corpus/http-request \
    -max_total_time="$seconds" -rss_limit_mb=512 -max_len=4096 -artifact_prefix="$out/" -print_final_stats=1
