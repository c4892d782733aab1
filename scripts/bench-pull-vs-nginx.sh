#!/usr/bin/env bash
# Verbund HttpData-PULL over mTLS on loopback against nginx serving the same file with the same certificates.
#
# Builds `verbund` (release), makes a throw-away federation with a provider and a consumer connector, publishes a
# file of each size at the provider, negotiates a contract, then per size, in the same run:
#   nginx      curl over mTLS (client certificate required) from nginx (Debian's build, default TLS settings)
#   verbund    curl over mTLS with the transfer's bearer token from the provider connector's data plane
#   baseline   curl -o FILE && sha256sum FILE && sync from nginx: what fetch does, with standard tools
#   fetch      `verbund fetch` end to end (request, start, download by the consumer daemon, sha-256 check, completion)
# and the provider daemon's peak resident memory (VmHWM; a fresh provider process per size).
#
# Usage: scripts/bench-pull-vs-nginx.sh [--sizes "1024 4096"] [--runs N] [--markdown FILE] [--keep]
# Needs: swift, curl, python3, openssl; nginx (installed with apt-get when missing).
set -euo pipefail

SIZES="1024 4096"
RUNS=1
MARKDOWN=""
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --markdown) MARKDOWN="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/verbund-bench-pull-XXXXXX)
# shellcheck source=scripts/bench-federation.sh
. "$ROOT/scripts/bench-federation.sh"
trap bench_cleanup EXIT INT TERM
bench_nginx
bench_build
bench_federation provider consumer

start_daemon consumer

# --- nginx with the provider's certificate, requiring the consumer's (same CA) ---
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
# nginx's worker drops to an unprivileged user: it must be able to reach the files it serves.
chmod 755 "$WORK" "$WORK/nginx" "$WORK/nginx/www"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        ssl_protocols TLSv1.3;
        ssl_certificate $WORK/provider/member.pem;
        ssl_certificate_key $WORK/provider/member.key;
        ssl_client_certificate $WORK/admin/root.pem;
        ssl_verify_client on;
        ssl_session_tickets off;
        root $WORK/nginx/www;
    }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log"

# -k: member certificates name the participant (SAN URI), not the host; both servers still require and verify the
# client certificate, and the handshake costs the same.
CURL_AUTH=(--cert "$WORK/consumer/member.pem" --key "$WORK/consumer/member.key" -k -sf)
CURL_TLS=("${CURL_AUTH[@]}" -o /dev/null)
timed_curl() {  # expected-bytes curl-args... -> seconds; fails unless every byte arrived
    local expected=$1; shift
    local result
    result=$(curl "${CURL_TLS[@]}" -w '%{time_total} %{size_download}' "$@")
    [ "${result#* }" = "$expected" ] || { echo "curl got ${result#* } of $expected bytes from $*" >&2; exit 1; }
    echo "${result% *}"
}
rate() { python3 -c "print(f'{$1/1048576/$2:.0f}')"; }

ROWS=()
for mib in $SIZES; do
    log "size $mib MiB: writing the file"
    data="$WORK/data-$mib.bin"
    random_file "$data" "$mib"
    chmod 644 "$data"
    ln -f "$data" "$WORK/nginx/www/data-$mib.bin"
    bytes=$((mib << 20))

    start_daemon provider
    PROVIDER_PID=$DAEMON_PID
    dataset=$("$VERBUND" datasets publish --config "$WORK/provider/connector.json" --file "$data" --title "Bench $mib MiB" --description "Benchmark data" --json \
        | json_field '["id"]')
    agreement=$("$VERBUND" negotiate --config "$WORK/consumer/connector.json" --peer provider --dataset "$dataset")

    for run in $(seq 1 "$RUNS"); do
        log "size $mib MiB run $run: nginx"
        nginx_time=$(timed_curl "$bytes" "https://127.0.0.1:$NGINX_PORT/data-$mib.bin")

        # What `verbund fetch` does, done by standard tools: download to a file, hash it, make it durable.
        log "size $mib MiB run $run: curl -o FILE && sha256sum FILE && sync"
        baseline_out="$WORK/baseline-$mib.bin"
        start=$(date +%s.%N)
        curl "${CURL_AUTH[@]}" -o "$baseline_out" "https://127.0.0.1:$NGINX_PORT/data-$mib.bin"
        sha256sum "$baseline_out" >/dev/null
        sync "$baseline_out"
        baseline_time=$(python3 -c "import time; print(f'{time.time() - $start:.3f}')")
        rm -f "$baseline_out"

        log "size $mib MiB run $run: verbund data plane with curl"
        pid=$(management consumer POST /api/transfers "{\"agreementId\":\"$agreement\"}" | json_field '["pid"]')
        for _ in $(seq 1 100); do
            state=$(management consumer GET "/api/transfers/$pid" | json_field '["state"]')
            [ "$state" = STARTED ] && break
            sleep 0.05
        done
        read -r endpoint token < <(python3 - "$WORK/consumer/data/verbund.sqlite" "$pid" <<'PY'
import json, sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute("SELECT data_address FROM transfer_process WHERE local_pid = ?", (sys.argv[2],)).fetchone()
address = json.loads(row[0])
print(address["endpoint"], next(p["value"] for p in address["endpointProperties"] if p["name"] == "authorization"))
PY
)
        sleep 0.2  # the provider moves to STARTED when the consumer's acknowledgement reaches it
        verbund_time=$(timed_curl "$bytes" -H "Authorization: Bearer $token" "$endpoint")
        # That transfer served its one copy (docs/policies.md); the fetch below runs a transfer of its own.
        management consumer POST "/api/transfers/$pid/terminate" '{"reason":"benchmark: next run"}' >/dev/null

        log "size $mib MiB run $run: verbund fetch (the same transfer: download, verify, complete)"
        out="$WORK/out-$mib.bin"
        rm -f "$out"
        start=$(date +%s.%N)
        "$VERBUND" fetch --config "$WORK/consumer/connector.json" --agreement "$agreement" --out "$out" >/dev/null
        fetch_time=$(python3 -c "import time; print(f'{time.time() - $start:.3f}')")
        cmp -s "$out" "$data" || { echo "fetched file differs" >&2; exit 1; }
        rm -f "$out"
        ROWS+=("| $mib | $run | $(rate $bytes "$nginx_time") | $(rate $bytes "$verbund_time") | $(rate $bytes "$baseline_time") | $(rate $bytes "$fetch_time") | $(python3 -c "print(f'{100 * $baseline_time / $fetch_time:.0f} %')") |")
    done
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$PROVIDER_PID/status")
    ROWS+=("| $mib | peak RSS of the provider daemon (VmHWM) | | $((hwm / 1024)) MiB | | | |")
    stop_daemon "$PROVIDER_PID"
    rm -f "$data" "$WORK/nginx/www/data-$mib.bin"
done

TABLE="| MiB | run | nginx, curl (MiB/s) | Verbund data plane, curl (MiB/s) | curl -o + sha256sum + sync from nginx (MiB/s) | verbund fetch end to end (MiB/s) | fetch vs curl+sha256sum+sync |
|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do TABLE+=$'\n'"$row"; done
echo "$TABLE"
[ -n "$MARKDOWN" ] && echo "$TABLE" >"$MARKDOWN"
exit 0
