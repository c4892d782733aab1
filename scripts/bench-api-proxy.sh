#!/usr/bin/env bash
# A partner's API through Verbund (issue 11) against the same request made directly and through nginx, in one run.
#
# Builds `verbund` (release, static Swift runtime), makes a federation of a provider and a consumer on loopback, starts
# one nginx (Debian's) with three servers: the upstream API (a small JSON document and a large file, plain HTTP), and
# an nginx pair doing what Verbund does — a plain-HTTP front that proxy_passes over mTLS (client certificate of the
# consumer member) to a back that requires it and proxy_passes to the upstream, keep-alive on every hop. The provider
# publishes the upstream as an API dataset, the consumer negotiates and starts the transfer (`verbund get`). Then, on
# kept-alive connections from one client (scripts/bench-api-latency.py):
#   direct   client → upstream
#   nginx    client → nginx front → (mTLS) → nginx back → upstream
#   verbund  client → consumer connector (GET /api/transfers/:pid/data/…) → (mTLS) → provider data plane → upstream
# p50/p99 latency of 500 requests of the JSON document, and MiB/s of one response of --mib MiB; with the peak RSS of
# both daemons before and after the large responses (memory must not grow with the response size).
#
# Usage: scripts/bench-api-proxy.sh [--mib 100] [--requests 500] [--markdown FILE] [--keep]
# Needs: swift, curl, python3, openssl; nginx (installed with apt-get when missing).
set -euo pipefail

MIB=100
REQUESTS=500
MARKDOWN=""
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --mib) MIB="$2"; shift 2 ;;
        --requests) REQUESTS="$2"; shift 2 ;;
        --markdown) MARKDOWN="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/verbund-bench-api-XXXXXX)
# shellcheck source=scripts/bench-federation.sh
. "$ROOT/scripts/bench-federation.sh"
trap bench_cleanup EXIT INT TERM
bench_nginx
bench_build
bench_federation provider consumer
LATENCY="python3 $ROOT/scripts/bench-api-latency.py"

# --- the upstream API and the nginx mTLS pair, one nginx process ---
UPSTREAM=$(free_port); BACK=$(free_port); FRONT=$(free_port)
mkdir -p "$WORK/nginx/www/api" "$WORK/nginx/tmp"
chmod 755 "$WORK" "$WORK/nginx" "$WORK/nginx/www" "$WORK/nginx/www/api"
python3 -c "import json; print(json.dumps({'value': [{'@iot.id': i, 'name': f'Parkhaus {i}', 'result': 100 + i} for i in range(8)]}))" \
    >"$WORK/nginx/www/api/things.json"
random_file "$WORK/nginx/www/api/big.bin" "$MIB"
chmod 644 "$WORK/nginx/www/api/things.json" "$WORK/nginx/www/api/big.bin"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
    keepalive_requests 100000;
    upstream origin { server 127.0.0.1:$UPSTREAM; keepalive 16; }
    upstream back { server 127.0.0.1:$BACK; keepalive 16; }
    server {
        listen 127.0.0.1:$UPSTREAM;
        root $WORK/nginx/www;
    }
    server {
        listen 127.0.0.1:$BACK ssl;
        ssl_protocols TLSv1.3;
        ssl_certificate $WORK/provider/member.pem;
        ssl_certificate_key $WORK/provider/member.key;
        ssl_client_certificate $WORK/admin/root.pem;
        ssl_verify_client on;
        location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    }
    server {
        listen 127.0.0.1:$FRONT;
        location / {
            proxy_pass https://back; proxy_http_version 1.1; proxy_set_header Connection "";
            proxy_ssl_certificate $WORK/consumer/member.pem; proxy_ssl_certificate_key $WORK/consumer/member.key;
            proxy_ssl_protocols TLSv1.3; proxy_ssl_session_reuse on; proxy_buffering off;
        }
    }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log"

# --- Verbund: provider publishes the upstream, consumer negotiates and starts the transfer ---
start_daemon provider; PROVIDER_PID=$DAEMON_PID
start_daemon consumer; CONSUMER_PID=$DAEMON_PID
"$VERBUND" datasets publish --config "$WORK/provider/connector.json" --id parken-live --title "Parken live" \
    --description "Benchmark API" --upstream "http://127.0.0.1:$UPSTREAM/api" --allow-path / \
    --max-response-bytes $(((MIB + 1) << 20)) --timeout 300 >/dev/null
agreement=$("$VERBUND" negotiate --config "$WORK/consumer/connector.json" --peer provider --dataset parken-live)
"$VERBUND" get --config "$WORK/consumer/connector.json" --agreement "$agreement" /things.json >/dev/null
pid=$("$VERBUND" transfers list --config "$WORK/consumer/connector.json" --json \
    | python3 -c "import json,sys; print([t['pid'] for t in json.load(sys.stdin)['transfers'] if t.get('kind') == 'api'][0])")
CONSUMER_PORT=$(cat "$WORK/consumer/data/management.port")
TOKEN=$(cat "$WORK/consumer/data/management.token")
VERBUND_URL="http://127.0.0.1:$CONSUMER_PORT/api/transfers/$pid/data"
hwm() { echo $(($(awk '/VmHWM/ {print $2}' "/proc/$1/status") / 1024)); }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

log "latency: $REQUESTS requests of things.json each"
direct=$($LATENCY "http://127.0.0.1:$UPSTREAM/api/things.json" --requests "$REQUESTS")
nginx=$($LATENCY "http://127.0.0.1:$FRONT/api/things.json" --requests "$REQUESTS")
verbund=$($LATENCY "$VERBUND_URL/things.json" --header "Authorization: Bearer $TOKEN" --requests "$REQUESTS")
provider_small=$(hwm "$PROVIDER_PID"); consumer_small=$(hwm "$CONSUMER_PID")

log "throughput: one $MIB MiB response each"
direct_big=$($LATENCY "http://127.0.0.1:$UPSTREAM/api/big.bin" --bytes)
nginx_big=$($LATENCY "http://127.0.0.1:$FRONT/api/big.bin" --bytes)
verbund_big=$($LATENCY "$VERBUND_URL/big.bin" --header "Authorization: Bearer $TOKEN" --bytes)
provider_big=$(hwm "$PROVIDER_PID"); consumer_big=$(hwm "$CONSUMER_PID")

TABLE="| path | p50 ms | p99 ms | $MIB MiB response, MiB/s |
|---|---|---|---|
| direct to the upstream | $(field "$direct" p50_ms) | $(field "$direct" p99_ms) | $(field "$direct_big" mib_per_s) |
| nginx front → mTLS → nginx back → upstream | $(field "$nginx" p50_ms) | $(field "$nginx" p99_ms) | $(field "$nginx_big" mib_per_s) |
| Verbund consumer → mTLS → Verbund provider → upstream | $(field "$verbund" p50_ms) | $(field "$verbund" p99_ms) | $(field "$verbund_big" mib_per_s) |

Peak RSS (VmHWM) after the small requests → after the $MIB MiB response: provider ${provider_small} → ${provider_big} MiB,
consumer ${consumer_small} → ${consumer_big} MiB."
echo "$TABLE"
[ -n "$MARKDOWN" ] && echo "$TABLE" >"$MARKDOWN"
exit 0
