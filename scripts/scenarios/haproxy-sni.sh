#!/usr/bin/env bash
# Scenario: one public TLS port, many zones. HAProxy in TCP mode routes one port by SNI (req.ssl_sni)
# to the gateways of zone-a and zone-b, as an OpenShift passthrough Route or an ingress-nginx
# ssl-passthrough Ingress does. A gateway in zone-c (tls_client_only: plain port, TLS hops) relays a
# build of each zone through that single port; both streams must arrive complete and unchanged.
# Every hop is mutual TLS with certificates made here by openssl (PKCS#8, PKCS#1 RSA and SEC1 EC keys).
#
# Needs root (apt-get, /etc/hosts); uses loopback only; cleans up whatever happens.
# Uses packaging/target/fingerpost.jar (built by `mvn verify`).
set -euo pipefail
cd "$(dirname "$0")/../.."

JAR=packaging/target/fingerpost.jar
NAME=haproxy-sni
MARK="# fingerpost-scenario-${NAME}-$$"
HOST_A=gw-a.zones.test
HOST_B=gw-b.zones.test
LOG_BYTES=$((3 * 1024 * 1024))
# Seconds to wait for daemons to come up and for streams to complete.
WAIT_SECONDS=90

fail() { echo "FAIL ${NAME}: $*"; exit 1; }

[ -f "$JAR" ] || fail "$JAR not found: run 'mvn verify' first"
if ! command -v haproxy >/dev/null 2>&1; then
  if ! apt-cache policy haproxy 2>/dev/null | grep -q 'Candidate: [0-9]'; then apt-get update -qq; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
fi
command -v openssl >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null

WORK=$(mktemp -d /tmp/fingerpost-${NAME}.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  # Newest first: the daemons leave the registry before ZooKeeper stops.
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; wait "${PIDS[i]}" 2>/dev/null || true; done
  if grep -q -- "$MARK" /etc/hosts 2>/dev/null; then
    # /etc/hosts may be a bind mount: rewrite it in place instead of replacing the file.
    grep -v -- "$MARK" /etc/hosts > "$WORK/hosts.clean" && cat "$WORK/hosts.clean" > /etc/hosts
  fi
  if [ $rc -ne 0 ] && [ -d "$WORK" ]; then
    for f in "$WORK"/*.log; do echo "--- $f (WARN and ERROR lines)"; { grep -E "WARN|ERROR" "$f" || true; } | tail -n 15; done
    echo "FAIL ${NAME} (see above)"
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768+), so no outgoing socket holds it
    if port_free "$p" && ! [[ " ${USED_PORTS:-} " == *" $p "* ]]; then USED_PORTS="${USED_PORTS:-} $p"; echo "$p"; return; fi
  done
}
await() { # await <description> <command...>
  local what=$1; shift
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "timed out waiting for $what"
    sleep 0.2
  done
}

# --- certificates (throwaway, in the temp dir) -------------------------------------------------
PKI="$WORK/pki"; mkdir -p "$PKI"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI/ca.key" \
  -out "$PKI/ca.crt" -subj "/CN=fingerpost scenario CA" -days 1 2>/dev/null
leaf() { # leaf <name> <keytype: pkcs8|rsa|sec1> <subjectAltName>
  local n=$1 type=$2 san=$3
  case $type in
    pkcs8) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/$n.key" ;;
    rsa)   openssl genrsa -traditional -out "$PKI/$n.key" 2048 2>/dev/null ;;
    sec1)  openssl ecparam -name prime256v1 -genkey -out "$PKI/$n.key" ;;
  esac
  openssl req -new -key "$PKI/$n.key" -subj "/CN=$n" -out "$PKI/$n.csr" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" > "$PKI/$n.ext"
  openssl x509 -req -in "$PKI/$n.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 1 \
    -extfile "$PKI/$n.ext" -out "$PKI/$n.crt" 2>/dev/null
}
leaf gw-a pkcs8 "DNS:$HOST_A"
leaf gw-b rsa "DNS:$HOST_B"
leaf gw-c sec1 "DNS:gw-c.zones.test"
leaf streamer pkcs8 "DNS:localhost,IP:127.0.0.1"
grep -q "BEGIN RSA PRIVATE KEY" "$PKI/gw-b.key" || fail "openssl did not write a PKCS#1 key"
grep -q "BEGIN EC PRIVATE KEY" "$PKI/gw-c.key" || fail "openssl did not write a SEC1 key"

# --- public names of the zone gateways -> loopback ----------------------------------------------
printf '127.0.0.1 %s %s %s\n' "$HOST_A" "$HOST_B" "$MARK" >> /etc/hosts

ZK=$(free_port); PUB=$(free_port); GWA=$(free_port); GWB=$(free_port); GWC=$(free_port)
SA=$(free_port); SB=$(free_port)

# --- ZooKeeper (the one in the fat jar, standalone) ---------------------------------------------
mkdir -p "$WORK/zk"
java -Xmx128m -Dzookeeper.admin.enableServer=false -cp "$JAR" \
  org.apache.zookeeper.server.ZooKeeperServerMain "$ZK" "$WORK/zk" > "$WORK/zookeeper.log" 2>&1 &
PIDS+=($!)
await "ZooKeeper on $ZK" bash -c "exec 3<>/dev/tcp/127.0.0.1/$ZK"

# --- HAProxy: one port, routed by SNI -----------------------------------------------------------
cat > "$WORK/haproxy.cfg" <<CFG
global
  maxconn 256
defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
frontend public
  bind 127.0.0.1:$PUB
  tcp-request inspect-delay 5s
  tcp-request content accept if { req_ssl_hello_type 1 }
  use_backend zone_a if { req.ssl_sni -i $HOST_A }
  use_backend zone_b if { req.ssl_sni -i $HOST_B }
backend zone_a
  server gw_a 127.0.0.1:$GWA
backend zone_b
  server gw_b 127.0.0.1:$GWB
CFG
haproxy -c -f "$WORK/haproxy.cfg" >/dev/null || fail "haproxy rejects its configuration"
haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
await "HAProxy on $PUB" bash -c "exec 3<>/dev/tcp/127.0.0.1/$PUB"

# --- builds, streamers, gateways ----------------------------------------------------------------
UUID_A=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
UUID_B=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
make_log() { # make_log <job_dir> <uuid>
  mkdir -p "$1/$2/work/logs"
  head -c $((LOG_BYTES * 3 / 4)) /dev/urandom | base64 -w 100 > "$1/$2/work/logs/job-output.txt"
  truncate -s "$LOG_BYTES" "$1/$2/work/logs/job-output.txt"
}
make_log "$WORK/jobs-a" "$UUID_A"
make_log "$WORK/jobs-b" "$UUID_B"
SHA_A=$(sha256sum < "$WORK/jobs-a/$UUID_A/work/logs/job-output.txt")
SHA_B=$(sha256sum < "$WORK/jobs-b/$UUID_B/work/logs/job-output.txt")

tls_keys() { # tls_keys <cert name>
  printf '  tls_cert: %s\n  tls_key: %s\n  tls_ca: %s\n' "$PKI/$1.crt" "$PKI/$1.key" "$PKI/ca.crt"
}
streamer_conf() { # <zone> <port> <job_dir>
  printf 'zookeeper:\n  hosts: 127.0.0.1:%s\nexecutor:\n  listen_address: 127.0.0.1\n  finger_port: %s\n' "$ZK" "$2"
  printf '  hostname: localhost\n  zone: %s\n  job_dir: %s\n' "$1" "$3"
  tls_keys streamer
}
gateway_conf() { # <zone> <port> <public hostname> <public port> <cert name> [extra line]
  printf 'zookeeper:\n  hosts: 127.0.0.1:%s\nfingergw:\n  listen_address: 127.0.0.1\n  port: %s\n' "$ZK" "$2"
  printf '  hostname: %s\n  public_port: %s\n  zone: %s\n' "$3" "$4" "$1"
  tls_keys "$5"
  [ -z "${6:-}" ] || printf '  %s\n' "$6"
}
streamer_conf zone-a "$SA" "$WORK/jobs-a" > "$WORK/streamer-a.yaml"
streamer_conf zone-b "$SB" "$WORK/jobs-b" > "$WORK/streamer-b.yaml"
gateway_conf zone-a "$GWA" "$HOST_A" "$PUB" gw-a > "$WORK/gateway-a.yaml"
gateway_conf zone-b "$GWB" "$HOST_B" "$PUB" gw-b > "$WORK/gateway-b.yaml"
gateway_conf zone-c "$GWC" gw-c.zones.test "$GWC" gw-c "tls_client_only: true" > "$WORK/gateway-c.yaml"

run() { # run <command> <config name>
  # DEBUG: the route each request took and each TLS handshake are logged, and checked below.
  FINGERPOST_LOG_LEVEL=DEBUG java -Xmx192m -XX:TieredStopAtLevel=1 -jar "$JAR" "$1" --config "$WORK/$2.yaml" \
    > "$WORK/$2.log" 2>&1 &
  PIDS+=($!)
}
run streamer streamer-a; run streamer streamer-b
run gateway gateway-a; run gateway gateway-b; run gateway gateway-c
for p in "$SA" "$SB" "$GWA" "$GWB" "$GWC"; do await "a daemon on port $p" bash -c "exec 3<>/dev/tcp/127.0.0.1/$p"; done
# Registered as running (logged after the registry write): otherwise zone-c would fall back to a
# direct connection instead of the zone's gateway.
for g in gateway-a gateway-b gateway-c; do await "$g registered" grep -q "Finger gateway listening" "$WORK/$g.log"; done
grep -q "TLS provider: Conscrypt" "$WORK/gateway-c.log" || echo "note: gateway-c does not use Conscrypt here"

# --- the relay: client -> gateway zone-c (plain) -> HAProxy :PUB (SNI) -> zone gateway -> streamer
fetch() { # fetch <uuid> <out>: one finger request through gateway-c, until the server closes
  bash -c "exec 3<>/dev/tcp/127.0.0.1/$GWC; printf '%s\n' $1 >&3; cat <&3" > "$2" 2>/dev/null
}
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# The builds' nodes and the zone gateways' registrations may take a moment: retry until bytes flow.
for zone in a b; do
  uuid_var=UUID_${zone^^}; uuid=${!uuid_var}
  deadline=$((SECONDS + WAIT_SECONDS))
  while :; do
    fetch "$uuid" "$WORK/out-$zone" &
    pid=$!
    sleep 1
    if [ "$(size "$WORK/out-$zone")" -gt 64 ] || kill -0 "$pid" 2>/dev/null; then
      PIDS+=("$pid"); eval "FETCH_$zone=$pid"; break
    fi
    wait "$pid" 2>/dev/null || true
    [ $SECONDS -lt $deadline ] || fail "no stream for zone-$zone build: $(head -c 200 "$WORK/out-$zone")"
  done
done
for zone in a b; do
  await "the zone-$zone stream to arrive in full" test "$(size "$WORK/out-$zone")" -ge "$LOG_BYTES"
done
# The executors clean up: the streams end.
rm -rf "$WORK/jobs-a/$UUID_A" "$WORK/jobs-b/$UUID_B"
for zone in a b; do
  pid_var=FETCH_$zone
  await "the zone-$zone stream to end" bash -c "! kill -0 ${!pid_var}"
done

# --- verdict ------------------------------------------------------------------------------------
for zone in a b; do
  [ "$(size "$WORK/out-$zone")" -eq "$LOG_BYTES" ] || fail "zone-$zone stream has $(size "$WORK/out-$zone") of $LOG_BYTES bytes"
done
[ "$(sha256sum < "$WORK/out-a")" = "$SHA_A" ] || fail "zone-a stream differs from its log"
[ "$(sha256sum < "$WORK/out-b")" = "$SHA_B" ] || fail "zone-b stream differs from its log"
# The path each stream took: zone-c chose each zone's gateway at the one public port, over TLS ...
grep -q "route GATEWAY to GATEWAY tls://$HOST_A:$PUB/$UUID_A" "$WORK/gateway-c.log" || fail "zone-c did not relay via $HOST_A:$PUB"
grep -q "route GATEWAY to GATEWAY tls://$HOST_B:$PUB/$UUID_B" "$WORK/gateway-c.log" || fail "zone-c did not relay via $HOST_B:$PUB"
# ... HAProxy handed each to the right gateway (hostname verification would fail otherwise), which
# accepted zone-c's client certificate and reached its streamer over TLS.
grep -q "TLS handshake with .* done (TLSv1" "$WORK/gateway-a.log" || fail "gateway-a saw no TLS handshake"
grep -q "TLS handshake with .* done (TLSv1" "$WORK/gateway-b.log" || fail "gateway-b saw no TLS handshake"
grep -q "route DIRECT to DIRECT tls://localhost:$SA/$UUID_A" "$WORK/gateway-a.log" || fail "gateway-a did not reach its streamer over TLS"
grep -q "route DIRECT to DIRECT tls://localhost:$SB/$UUID_B" "$WORK/gateway-b.log" || fail "gateway-b did not reach its streamer over TLS"
echo "PASS ${NAME}: zone-a and zone-b builds relayed complete (2 x ${LOG_BYTES} bytes) from zone-c through one SNI-routed HAProxy port with mutual TLS on every hop"
