#!/usr/bin/env bash
# Verbund HttpData-PULL over mTLS on loopback against nginx serving the same file with the same certificates.
#
# Builds `verbund` (release), makes a throw-away federation with a provider and a consumer connector, publishes a
# file of each size at the provider, negotiates a contract, then per size, in the same run:
#   nginx      curl over mTLS (client certificate required) from nginx (Debian's build, default TLS settings)
#   verbund    curl over mTLS with the transfer's bearer token from the provider connector's data plane
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
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    echo "nginx missing; installing Debian's nginx-light" >&2
    (apt-get install -y nginx-light >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y nginx-light >/dev/null; })
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
# Built as it is installed (docs/operator.md): one binary with the Swift runtime and Foundation linked in, which
# maps and touches ~6 MiB fewer library pages than the dynamically linked build.
(cd "$ROOT" && swift build -c release --static-swift-stdlib --product verbund --scratch-path "$ROOT/.build-static" >&2)
VERBUND="$ROOT/.build-static/release/verbund"

WORK=$(mktemp -d /tmp/verbund-bench-pull-XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
    [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
    if [ "$KEEP" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
log() { echo "[bench] $*" >&2; }

# --- federation: admin, provider, consumer ---
"$VERBUND" federation init --dir "$WORK/admin" --id bench --name "Bench-Verbund" >/dev/null
declare -A PORT
for member in provider consumer; do
    PORT[$member]=$(free_port)
    "$VERBUND" member init --dir "$WORK/$member" --id "$member" --name "Stadt $member" --federation-id bench \
        --listen "127.0.0.1:${PORT[$member]}" --endpoint "https://127.0.0.1:${PORT[$member]}/dsp" \
        --management 127.0.0.1:0 >/dev/null
    "$VERBUND" federation admit --dir "$WORK/admin" --csr "$WORK/$member/member.csr" \
        --endpoint "https://127.0.0.1:${PORT[$member]}/dsp" --out "$WORK/$member/member.pem" >/dev/null
done
for member in provider consumer; do
    mkdir -p "$WORK/$member/federation"
    cp "$WORK/admin/root.pem" "$WORK/admin/registry.jws" "$WORK/admin/crl.pem" "$WORK/$member/federation/"
done

DAEMON_PID=""
start_daemon() {  # member -> DAEMON_PID; waits for the management port
    local member=$1
    rm -f "$WORK/$member/data/management.port"
    "$VERBUND" serve --config "$WORK/$member/connector.json" --log-level warning >>"$WORK/$member.log" 2>&1 </dev/null &
    DAEMON_PID=$!
    PIDS+=("$DAEMON_PID")
    for _ in $(seq 1 200); do
        [ -s "$WORK/$member/data/management.port" ] && break
        sleep 0.05
    done
    [ -s "$WORK/$member/data/management.port" ] || { echo "$member did not start; see $WORK/$member.log" >&2; exit 1; }
}
stop_daemon() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
management() {  # member method path [json]
    local member=$1 method=$2 path=$3 body=${4:-}
    local port token
    port=$(cat "$WORK/$member/data/management.port")
    token=$(cat "$WORK/$member/data/management.token")
    if [ -n "$body" ]; then
        curl -sf -X "$method" -H "Authorization: Bearer $token" -H "Content-Type: application/json" -d "$body" "http://127.0.0.1:$port$path"
    else
        curl -sf -X "$method" -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path"
    fi
}
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

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
CURL_TLS=(--cert "$WORK/consumer/member.pem" --key "$WORK/consumer/member.key" -k -sf -o /dev/null)
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
    # Pseudo-random bytes (AES-CTR keystream): incompressible, and much faster than /dev/urandom.
    (set +o pipefail; openssl enc -aes-128-ctr -pass pass:verbund-bench -nosalt -pbkdf2 -in /dev/zero 2>/dev/null \
        | head -c $((mib << 20)) >"$data") || true
    [ "$(stat -c %s "$data")" = $((mib << 20)) ] || { echo "could not write $data" >&2; exit 1; }
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

        log "size $mib MiB run $run: verbund fetch (the same transfer: download, verify, complete)"
        out="$WORK/out-$mib.bin"
        rm -f "$out"
        start=$(date +%s.%N)
        "$VERBUND" fetch --config "$WORK/consumer/connector.json" --agreement "$agreement" --out "$out" >/dev/null
        fetch_time=$(python3 -c "import time; print(f'{time.time() - $start:.3f}')")
        cmp -s "$out" "$data" || { echo "fetched file differs" >&2; exit 1; }
        rm -f "$out"
        ROWS+=("| $mib | $run | $(rate $bytes "$nginx_time") | $(rate $bytes "$verbund_time") | $(rate $bytes "$fetch_time") |")
    done
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$PROVIDER_PID/status")
    ROWS+=("| $mib | peak RSS of the provider daemon (VmHWM) | | $((hwm / 1024)) MiB | |")
    stop_daemon "$PROVIDER_PID"
    rm -f "$data" "$WORK/nginx/www/data-$mib.bin"
done

TABLE="| MiB | run | nginx, curl (MiB/s) | Verbund data plane, curl (MiB/s) | verbund fetch end to end (MiB/s) |
|---|---|---|---|---|"
for row in "${ROWS[@]}"; do TABLE+=$'\n'"$row"; done
echo "$TABLE"
[ -n "$MARKDOWN" ] && echo "$TABLE" >"$MARKDOWN"
exit 0
