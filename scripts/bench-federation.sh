# Shared by the benchmark scripts (sourced, not run): builds `verbund` as it is installed, makes a throw-away
# federation of members on loopback, starts and stops their daemons and talks to their management APIs.
# Needs $ROOT (the repository) and $WORK (a fresh folder); fills $VERBUND, PORT[member] and PIDS.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
log() { echo "[bench] $*" >&2; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# Built as it is installed (docs/operator.md): one binary with the Swift runtime and Foundation linked in, which
# maps and touches ~6 MiB fewer library pages than the dynamically linked build.
bench_build() {
    (cd "$ROOT" && swift build -c release --static-swift-stdlib --product verbund --scratch-path "$ROOT/.build-static" >&2)
    VERBUND="$ROOT/.build-static/release/verbund"
}

bench_nginx() {  # installs Debian's nginx-light when missing; sets NGINX
    if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
        echo "nginx missing; installing Debian's nginx-light" >&2
        (apt-get install -y nginx-light >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y nginx-light >/dev/null; })
    fi
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

declare -A PORT
PIDS=()

bench_federation() {  # member ids... : admin in $WORK/admin, each member in $WORK/<id> with its federation files
    "$VERBUND" federation init --dir "$WORK/admin" --id bench --name "Bench-Verbund" >/dev/null
    local member
    for member in "$@"; do
        PORT[$member]=$(free_port)
        "$VERBUND" member init --dir "$WORK/$member" --id "$member" --name "Stadt $member" --federation-id bench \
            --listen "127.0.0.1:${PORT[$member]}" --endpoint "https://127.0.0.1:${PORT[$member]}/dsp" \
            --management 127.0.0.1:0 >/dev/null
        "$VERBUND" federation admit --dir "$WORK/admin" --csr "$WORK/$member/member.csr" \
            --endpoint "https://127.0.0.1:${PORT[$member]}/dsp" --out "$WORK/$member/member.pem" >/dev/null
    done
    for member in "$@"; do
        mkdir -p "$WORK/$member/federation"
        cp "$WORK/admin/root.pem" "$WORK/admin/registry.jws" "$WORK/admin/crl.pem" "$WORK/$member/federation/"
    done
}

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

bench_cleanup() {  # stops every daemon and nginx (pid files under $WORK), removes $WORK unless KEEP=1
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
    for pidfile in "$WORK"/nginx*/nginx.pid; do [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true; done
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}

# Pseudo-random bytes (AES-CTR keystream): incompressible, and much faster than /dev/urandom.
random_file() {  # path mib
    (set +o pipefail; openssl enc -aes-128-ctr -pass pass:verbund-bench -nosalt -pbkdf2 -in /dev/zero 2>/dev/null \
        | head -c $(($2 << 20)) >"$1") || true
    [ "$(stat -c %s "$1")" = $(($2 << 20)) ] || { echo "could not write $1" >&2; exit 1; }
}
