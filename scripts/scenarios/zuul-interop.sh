#!/usr/bin/env bash
# Scenario: Fingerpost as a drop-in zuul-fingergw next to a running Zuul (11, MODEL_API 33).
#
# The Zuul side (scripts/scenarios/zuul_fake.py, Python with Debian's python3-kazoo) writes ZooKeeper
# the way Zuul's Python does: a scheduler and two executors (zone-a, zone-b) registered at model_api
# 33, each executor with Zuul's plain-text log streamer on its own port, builds published as
# BuildRequest nodes with worker_info. Against a real ZooKeeper (Debian's zookeeper package,
# standalone) Fingerpost runs from zuul.conf files alone, one per daemon as an operator has them:
# gateway A (zone-a, TLS, prometheus_port), gateway B (zone-b, TLS, no prometheus_port) and a web node
# (zone-a, prometheus_port, [fingergw] tls_* for its hops). Checked:
#   1. Fingerpost's component nodes are Zuul components: model_api 33, the fields of Zuul's class of
#      their kind, a reachable hostname, Zuul's node name; Zuul's system minimum model_api is 33.
#   2. A rolling upgrade of Zuul to model_api 34: the system minimum reaches 34 (Fingerpost follows,
#      and its nodes end at exactly 34, never above Zuul's).
#   3. Streams are byte-identical to the logs: finger (mutual TLS) to gateway A for the zone-a build
#      (gateway A -> Zuul's executor streamer in plain text) and the zone-b build (gateway A -> TLS ->
#      gateway B -> plain executor); the web node's console-stream websocket for both (close 1000).
#      The routes are checked on the sockets: who is connected to each executor and to gateway B.
#   4. /health/status (200 RUNNING), /health/ready, /health/live on the prometheus_port of gateway A
#      and the web node.
#   5. Every Fingerpost process listens on exactly the configured ports.
#   6. No ERROR lines about model_api (ZooKeeper, Zuul, Fingerpost) and none at all in Fingerpost's
#      logs; SIGTERM stops each daemon within 20 s and its component node is gone.
# A failed check is reported with its number and the scenario goes on, so that one run shows them all.
#
# Needs root (apt-get, /etc/hosts); loopback only; cleans up whatever happens. Takes about a minute.
# Uses packaging/target/fingerpost.jar (built by `mvn verify` or `mvn -B -ntp -q package -DskipTests`).
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/scenarios/lib.bash

NAME=zuul-interop
JAR=packaging/target/fingerpost.jar
FAKE=scripts/scenarios/zuul_fake.py
PY=/usr/bin/python3 # Debian's, where python3-kazoo is (not a pyenv or venv python3 first on PATH)
# The probes (zuul_fake.py subcommands) are bounded: a hung probe must not hang the test suite.
probe() { timeout 120 "$PY" "$@"; }
MARK="# fingerpost-scenario-${NAME}-$$"
DOMAIN=zuul-interop.test
GW_A=gw-a.$DOMAIN
GW_B=gw-b.$DOMAIN
ZE_A=ze-a.$DOMAIN
ZE_B=ze-b.$DOMAIN
ZS=zs.$DOMAIN
TENANT=example-tenant
MODEL_API=33
UPGRADED_API=34
LOG_BYTES=$((3 * 1024 * 1024))
GROW_SECONDS=10
START=$SECONDS

die() { echo "FAIL ${NAME}: $*"; exit 1; }
[[ -f $JAR ]] || die "$JAR not found: run 'mvn verify' (or mvn -B -ntp -q package -DskipTests) first"

export DEBIAN_FRONTEND=noninteractive
need=()
[[ -f /usr/share/java/zookeeper.jar ]] || need+=(zookeeper)
[[ -x $PY ]] && $PY -c 'import kazoo' 2>/dev/null || need+=(python3 python3-kazoo)
[[ -x $PY ]] && $PY -c 'import websocket' 2>/dev/null || need+=(python3-websocket)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
if ((${#need[@]})); then
  if apt-cache policy "${need[0]}" 2>/dev/null | grep -q 'Candidate: (none)' ||
    ! apt-cache policy "${need[0]}" 2>/dev/null | grep -q 'Candidate:'; then apt-get update -q >/dev/null; fi
  apt-get install -y -q "${need[@]}" >/dev/null || die "cannot install ${need[*]}"
fi

WORK=$(mktemp -d /tmp/fingerpost-${NAME}.XXXXXX)
STATE=$WORK/zuul
mkdir -p "$STATE"
ZK_PID= FAKE_PID=
declare -A FP_PID=() # Fingerpost daemons by name
CLIENT_PIDS=()
declare -A RESULT=() # assertion number -> PASS/FAIL
FAILURES=()

cleanup() {
  local rc=$?
  local n p
  for p in "${CLIENT_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for n in "${!FP_PID[@]}"; do kill "${FP_PID[$n]}" 2>/dev/null || true; done
  for n in "${!FP_PID[@]}"; do
    for _ in $(seq 1 100); do kill -0 "${FP_PID[$n]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${FP_PID[$n]}" 2>/dev/null || true
  done
  if [[ -n $FAKE_PID ]]; then
    kill "$FAKE_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$FAKE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$FAKE_PID" 2>/dev/null || true
  fi
  if [[ -n $ZK_PID ]]; then kill "$ZK_PID" 2>/dev/null || true; wait "$ZK_PID" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if grep -q -- "$MARK" /etc/hosts 2>/dev/null; then
    # /etc/hosts may be a bind mount: rewrite it in place instead of replacing the file.
    grep -v -- "$MARK" /etc/hosts >"$WORK/hosts.clean" && cat "$WORK/hosts.clean" >/etc/hosts
  fi
  if ((rc != 0)) && [[ -d $WORK ]]; then
    for f in "$WORK"/*.log; do
      [[ -f $f ]] || continue
      echo "--- $f (WARN and ERROR lines, last 15)"
      { grep -E "WARN|ERROR|Exception" "$f" || true; } | tail -n 15
    done
  fi
  if [[ -n ${KEEP_WORK:-} ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# check_failed N MESSAGE: records a failed check of assertion N and goes on (later checks still run).
check_failed() {
  local n=$1
  shift
  RESULT[$n]=FAIL
  FAILURES+=("[$n] $*")
  echo "FAIL ${NAME} [$n]: $*"
}
passed() { [[ ${RESULT[$1]:-} == FAIL ]] || RESULT[$1]=PASS; }

# --- certificates (throwaway, in the temp dir): gateways' names are what other zones dial (SNI) --
PKI=$WORK/pki
mkdir -p "$PKI"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI/ca.key" \
  -out "$PKI/ca.crt" -subj "/CN=zuul-interop scenario CA" -days 1 2>/dev/null || die "openssl CA"
leaf() { # leaf <name> <subjectAltName>
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/$1.key" 2>/dev/null
  openssl req -new -key "$PKI/$1.key" -subj "/CN=$1" -out "$PKI/$1.csr" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$2" >"$PKI/$1.ext"
  openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 1 \
    -extfile "$PKI/$1.ext" -out "$PKI/$1.crt" 2>/dev/null || die "openssl leaf $1"
}
leaf gw-a "DNS:$GW_A"
leaf gw-b "DNS:$GW_B"
leaf web "DNS:web.$DOMAIN"
leaf client "DNS:client.$DOMAIN"

# --- the deployment's names -> loopback ----------------------------------------------------------
printf '127.0.0.1 %s %s %s %s %s %s\n' "$GW_A" "$GW_B" "$ZE_A" "$ZE_B" "$ZS" "$MARK" >>/etc/hosts

ZK=$(free_port)
PORTS=" $ZK"
pick() { local p; while :; do p=$(free_port); [[ $PORTS == *" $p"* ]] || break; done; PORTS+=" $p"; echo "$p"; }
FINGER_A=$(pick); FINGER_B=$(pick); STREAM_A=$(pick); STREAM_B=$(pick)
PROM_A=$(pick); WEB=$(pick); PROM_WEB=$(pick)

# --- ZooKeeper: Debian's package, standalone ------------------------------------------------------
mkdir -p "$WORK/zk/data"
cat >"$WORK/zk/zoo.cfg" <<CFG
tickTime=500
dataDir=$WORK/zk/data
clientPort=$ZK
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=srvr,ruok
CFG
# Its server log on stdout (log4j 1.2 through slf4j, both dependencies of the package).
cat >"$WORK/zk/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} %-5p [%t] %c{1}: %m%n
PROPS
java -Xmx128m -cp "$WORK/zk:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-log4j12.jar:/usr/share/java/log4j-1.2.jar" \
  -Dzookeeper.log.dir="$WORK/zk" \
  org.apache.zookeeper.server.ZooKeeperServerMain "$WORK/zk/zoo.cfg" >"$WORK/zookeeper.log" 2>&1 &
ZK_PID=$!
# Bounded: a probe that connects while the server is still starting may never get an answer.
zk_ok() { [[ $(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$ZK && echo ruok >&3 && cat <&3" 2>/dev/null) == imok ]]; }
wait_for 60 "ZooKeeper on $ZK" zk_ok || die "ZooKeeper did not start: $(tail -5 "$WORK/zookeeper.log")"

# --- the fake Zuul: scheduler, executors with their log streamers --------------------------------
$PY "$FAKE" zuul --zk "127.0.0.1:$ZK" --state "$STATE" --scheduler-hostname "$ZS" --tenant "$TENANT" \
  --model-api "$MODEL_API" --upgrade-model-api "$UPGRADED_API" --log-bytes "$LOG_BYTES" \
  --grow-seconds "$GROW_SECONDS" \
  --executor "zone-a:$ZE_A:$STREAM_A:$WORK/jobs-a" --executor "zone-b:$ZE_B:$STREAM_B:$WORK/jobs-b" \
  >"$WORK/zuul-fake.log" 2>&1 &
FAKE_PID=$!
wait_for 30 "the fake Zuul registered" test -f "$STATE/ready" || die "fake Zuul did not start: $(tail -20 "$WORK/zuul-fake.log")"
echo "ZooKeeper 127.0.0.1:$ZK; Zuul: scheduler $ZS, executors $ZE_A:$STREAM_A (zone-a), $ZE_B:$STREAM_B (zone-b) at model_api $MODEL_API"

# --- Fingerpost from zuul.conf files --------------------------------------------------------------
# What else a Zuul operator's zuul.conf holds: ignored by Fingerpost, must not stop it.
zuul_noise() {
  cat <<CONF
[scheduler]
tenant_config=/etc/zuul/main.yaml

[keystore]
password=not-a-secret

[database]
dburi=postgresql://zuul:secret@db.$DOMAIN/zuul

[connection gerrit]
driver=gerrit
server=review.$DOMAIN
user=zuul
sshkey=/var/lib/zuul/.ssh/id_rsa
CONF
}
tls_keys() { printf 'tls_cert=%s\ntls_key=%s\ntls_ca=%s\n' "$PKI/$1.crt" "$PKI/$1.key" "$PKI/ca.crt"; }
{
  printf '[zookeeper]\nhosts=127.0.0.1:%s\nsession_timeout=30\n\n' "$ZK"
  printf '[fingergw]\nlisten_address=127.0.0.1\nport=%s\nhostname=%s\nzone=zone-a\n' "$FINGER_A" "$GW_A"
  tls_keys gw-a
  printf 'prometheus_port=%s\nprometheus_addr=127.0.0.1\n\n' "$PROM_A"
  zuul_noise
} >"$WORK/gateway-a.conf"
{
  printf '[zookeeper]\nhosts=127.0.0.1:%s\nsession_timeout=30\n\n' "$ZK"
  printf '[fingergw]\nlisten_address=127.0.0.1\nport=%s\nhostname=%s\nzone=zone-b\n' "$FINGER_B" "$GW_B"
  tls_keys gw-b
  printf '\n'
  zuul_noise
} >"$WORK/gateway-b.conf"
{
  printf '[zookeeper]\nhosts=127.0.0.1:%s\nsession_timeout=30\n\n' "$ZK"
  printf '[web]\nlisten_address=127.0.0.1\nport=%s\nzone=zone-a\n' "$WEB"
  printf 'prometheus_port=%s\nprometheus_addr=127.0.0.1\n\n' "$PROM_WEB"
  printf '[fingergw]\n'
  tls_keys web
  printf '\n'
  zuul_noise
} >"$WORK/web.conf"

run_fp() { # run_fp <name> <command>
  java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$JAR" "$2" --zuul-conf "$WORK/$1.conf" >"$WORK/$1.log" 2>&1 &
  FP_PID[$1]=$!
}
# up <name> <port>: the daemon listens on its port (or it died: recorded, and the scenario goes on).
up() {
  local deadline=$((SECONDS + 60))
  until port_open 127.0.0.1 "$2"; do
    if ! kill -0 "${FP_PID[$1]}" 2>/dev/null; then
      wait "${FP_PID[$1]}"
      local rc=$?
      check_failed 1 "$1 exited (status $rc) before listening on $2: $(grep -E 'ERROR|Exception|Caused by' "$WORK/$1.log" | head -3 | tr '\n' ' ')"
      unset "FP_PID[$1]"
      return 1
    fi
    ((SECONDS < deadline)) || { check_failed 1 "$1 not listening on $2 after 60 s"; return 1; }
    sleep 0.2
  done
}
# Gateway A first: with it up, a second daemon that binds a fixed default port shows the clash.
run_fp gateway-a gateway
up gateway-a "$FINGER_A"
run_fp gateway-b gateway
run_fp web web
up gateway-b "$FINGER_B"
up web "$WEB"
echo "Fingerpost: gateway A 127.0.0.1:$FINGER_A ($GW_A, prometheus $PROM_A), gateway B 127.0.0.1:$FINGER_B ($GW_B), web 127.0.0.1:$WEB (prometheus $PROM_WEB)"

# --- 1. Fingerpost's component nodes, as Zuul reads them ------------------------------------------
echo "[1] component registry"
if ! probe "$FAKE" registry-check --zk "127.0.0.1:$ZK" --state "$STATE" --model-api "$MODEL_API" \
  --expect "fingergw=$GW_A,zone-a,$FINGER_A,true" --expect "fingergw=$GW_B,zone-b,$FINGER_B,true" \
  --expect "web=" >"$WORK/check-1.txt" 2>&1; then
  check_failed 1 "Fingerpost's component nodes are not Zuul components at model_api $MODEL_API:
$(grep -E 'problem:|Traceback|Error' "$WORK/check-1.txt" | sed 's/^  problem: /    /')"
fi
cat "$WORK/check-1.txt" | grep -E "^  (Fingerpost node |system minimum|note:)" || true
passed 1

# --- 4. health endpoints on prometheus_port --------------------------------------------------------
echo "[4] health on prometheus_port"
http_get() { # http_get <port> <path>: "<status> <body>"
  probe - "$1" "$2" <<'PY'
import sys, http.client
try:
    c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
    c.request("GET", sys.argv[2])
    r = c.getresponse()
    print(r.status, r.read().decode("utf-8", "replace").strip()[:80])
except Exception as e:
    print("none", repr(e))
PY
}
for target in "gateway-a:$PROM_A" "web:$PROM_WEB"; do
  name=${target%%:*} port=${target##*:}
  for path in /health/status /health/ready /health/live; do
    reply=$(http_get "$port" "$path")
    echo "  $name 127.0.0.1:$port$path -> $reply"
    case $path in
      /health/status) [[ $reply == "200 RUNNING" ]] || check_failed 4 "$name GET $path on prometheus_port $port: '$reply', expected '200 RUNNING'" ;;
      *) [[ $reply == 200* ]] || check_failed 4 "$name GET $path on prometheus_port $port: '$reply', expected 200" ;;
    esac
  done
done
passed 4

# --- 5. listeners: exactly what the configuration asked for ----------------------------------------
echo "[5] listening ports"
listening() { ss -ltnpH 2>/dev/null | grep "pid=$1," | awk '{print $4}' | sed 's/.*://' | sort -un | tr '\n' ' ' | sed 's/ $//'; }
declare -A WANT=([gateway-a]="$FINGER_A $PROM_A" [gateway-b]="$FINGER_B" [web]="$WEB $PROM_WEB")
for name in gateway-a gateway-b web; do
  want=$(tr ' ' '\n' <<<"${WANT[$name]}" | sort -un | tr '\n' ' ' | sed 's/ $//')
  if [[ -z ${FP_PID[$name]:-} ]]; then
    check_failed 5 "$name is not running (see [1]); wanted listeners: $want"
    continue
  fi
  if ! kill -0 "${FP_PID[$name]}" 2>/dev/null; then
    check_failed 5 "$name (pid ${FP_PID[$name]}) has exited; wanted listeners: $want"
    continue
  fi
  have=$(listening "${FP_PID[$name]}")
  echo "  $name (pid ${FP_PID[$name]}): listening on {$have}, configured {$want}"
  [[ $have == "$want" ]] || check_failed 5 "$name listens on {$have}, its zuul.conf asks for {$want}"
done
passed 5

# --- 2. rolling upgrade of Zuul to model_api 34 ----------------------------------------------------
echo "[2] rolling upgrade to model_api $UPGRADED_API"
touch "$STATE/cmd/upgrade"
wait_for 60 "Zuul's components restarted at model_api $UPGRADED_API" test -f "$STATE/upgraded" ||
  die "the fake Zuul did not finish its rolling upgrade: $(tail -5 "$WORK/zuul-fake.log")"
if min=$(probe "$FAKE" await-min-api --zk "127.0.0.1:$ZK" --state "$STATE" --own "$UPGRADED_API" \
  --expect "$UPGRADED_API" --timeout 30 2>"$WORK/check-2.err"); then
  echo "  system minimum model_api: $min"
else
  check_failed 2 "30 s after every Zuul component restarted at $UPGRADED_API: Zuul's system minimum model_api is ${min:-?}, wanted $UPGRADED_API on every Fingerpost node $(tail -2 "$WORK/check-2.err")"
fi
passed 2

# --- 3. streams: finger through gateway A, websocket through the web node --------------------------
echo "[3] streams"
touch "$STATE/cmd/start-builds"
wait_for 30 "builds running" test -f "$STATE/builds.json" || die "the fake Zuul started no builds: $(tail -5 "$WORK/zuul-fake.log")"
uuid_of() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["uuid"])' "$STATE/builds.json" "$1"; }
UUID_A=$(uuid_of zone-a)
UUID_B=$(uuid_of zone-b)
echo "  builds: zone-a $UUID_A on $ZE_A, zone-b $UUID_B on $ZE_B (growing for ${GROW_SECONDS}s to ~$((LOG_BYTES / 1024 / 1024)) MiB)"
for z in a b; do
  uuid_var=UUID_${z^^}
  $PY "$FAKE" finger --host "$GW_A" --port "$FINGER_A" --uuid "${!uuid_var}" --out "$WORK/finger-$z" \
    --tls-cert "$PKI/client.crt" --tls-key "$PKI/client.key" --tls-ca "$PKI/ca.crt" --sni "$GW_A" \
    2>"$WORK/finger-$z.err" &
  CLIENT_PIDS+=($!)
  $PY "$FAKE" console --url "ws://127.0.0.1:$WEB/api/tenant/$TENANT/console-stream" --uuid "${!uuid_var}" \
    --out "$WORK/ws-$z" 2>"$WORK/ws-$z.err" &
  CLIENT_PIDS+=($!)
done
wait_for 60 "the builds' logs stop growing" test -f "$STATE/grown.json" || die "the builds did not stop growing"
size_of() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["size"])' "$STATE/grown.json" "$1"; }
SIZE_A=$(size_of zone-a)
SIZE_B=$(size_of zone-b)
# Until every live client has the whole log (or has given up), then the executors clean up.
all_caught_up() {
  local i=0 z kind size_var
  for z in a b; do
    size_var=SIZE_${z^^}
    for kind in finger ws; do
      kill -0 "${CLIENT_PIDS[i]}" 2>/dev/null && (($(file_size "$WORK/$kind-$z") < ${!size_var})) && return 1
      i=$((i + 1))
    done
  done
  return 0
}
# (CLIENT_PIDS order: finger-a, ws-a, finger-b, ws-b)
wait_for 60 "the clients to receive the whole logs" all_caught_up || echo "  (some clients did not catch up in 60 s)"
# The routes the streams took, seen from the sockets while they are still open (the logs still
# exist): which processes hold connections to each executor's streamer and to gateway B.
connected() { # connected <port>: names of the Fingerpost processes connected to 127.0.0.1:<port>
  local pids n out=""
  pids=$(ss -tnpH state established "( dport = :$1 )" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)
  for n in gateway-a gateway-b web; do
    [[ -n ${FP_PID[$n]:-} ]] && grep -qx "${FP_PID[$n]}" <<<"$pids" && out+="$n "
  done
  echo "${out% }"
}
for route in "$STREAM_A:executor $ZE_A (zone-a):gateway-a web" "$STREAM_B:executor $ZE_B (zone-b):gateway-b" \
  "$FINGER_B:gateway B:gateway-a web"; do
  IFS=: read -r port what want <<<"$route"
  have=$(connected "$port")
  echo "  connected to $what port $port: {$have}, expected {$want}"
  [[ $have == "$want" ]] || check_failed 3 "routes: Fingerpost processes connected to $what (port $port) are {$have}, expected {$want} (zone-a direct in plain text; zone-b only through gateway B)"
done
touch "$STATE/cmd/finish-builds"
wait_for 30 "the builds finished" test -f "$STATE/finished" || die "the fake Zuul did not finish its builds"
for p in "${CLIENT_PIDS[@]}"; do
  for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill "$p" 2>/dev/null && echo "  (a client still open 30 s after the build ended was stopped)"
done
wait "${CLIENT_PIDS[@]}" 2>/dev/null
CLIENT_PIDS=()
for z in a b; do
  uuid_var=UUID_${z^^}
  uuid=${!uuid_var}
  expected=$STATE/expected-$uuid
  for kind in finger ws; do
    out=$WORK/$kind-$z
    status=$(cat "$out.status" 2>/dev/null || echo "client failed: $(tail -1 "$out.err" 2>/dev/null)")
    case $kind in
      finger) what="finger (mutual TLS) to gateway A ($GW_A:$FINGER_A) for the zone-$z build" ;;
      ws) what="console-stream websocket on the web node for the zone-$z build" ;;
    esac
    if cmp -s "$out" "$expected"; then
      echo "  ok: $what: $(file_size "$out") bytes identical; end: $status"
      if [[ $kind == ws && $status != "close 1000 No more data" ]]; then
        check_failed 3 "$what: bytes complete but the end was '$status', expected 'close 1000 No more data'"
      fi
    else
      got=$(file_size "$out")
      first=$(head -c 120 "$out" 2>/dev/null | tr -c '[:print:]' '?')
      diverge=$(cmp "$out" "$expected" 2>&1 | head -1)
      check_failed 3 "$what: got $got of $(file_size "$expected") bytes ($diverge); starts with '$first'; end: $status"
    fi
  done
done
passed 3

# --- 6. model_api errors, clean shutdown -----------------------------------------------------------
echo "[6] logs and shutdown"
errors=$(grep -H -i -E "ERROR" "$WORK"/zookeeper.log "$WORK"/zuul-fake.log "$WORK"/gateway-*.log "$WORK"/web.log 2>/dev/null |
  grep -i -E "model_api|model api|data model" | head -5)
[[ -z $errors ]] || check_failed 6 "ERROR lines about the data model:
$(sed 's/^/    /' <<<"$errors")"
for name in gateway-a gateway-b web; do
  [[ -n ${FP_PID[$name]:-} ]] || continue
  pid=${FP_PID[$name]}
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    rc=$?
    unset "FP_PID[$name]"
    check_failed 6 "$name had already exited (status $rc) before its shutdown: $(grep -E 'ERROR|Exception' "$WORK/$name.log" | head -2 | tr '\n' ' ')"
    continue
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    check_failed 6 "$name still running 20 s after SIGTERM"
    kill -9 "$pid"
  fi
  wait "$pid"
  rc=$?
  unset "FP_PID[$name]"
  ((rc == 0 || rc == 143)) || check_failed 6 "$name exited with status $rc on SIGTERM"
  case $name in gateway-a) node=(--kind fingergw --hostname "$GW_A") ;; gateway-b) node=(--kind fingergw --hostname "$GW_B") ;; web) node=(--kind web) ;; esac
  if ! left=$(probe "$FAKE" nodes-gone --zk "127.0.0.1:$ZK" --state "$STATE" "${node[@]}" --timeout 5 2>&1); then
    check_failed 6 "$name's component node is still in ZooKeeper after it exited: $left"
  fi
  echo "  $name stopped (status $rc)"
done
# Every Fingerpost node is gone (whatever hostname it used): only Zuul's remain.
remaining=$(probe - "127.0.0.1:$ZK" "$STATE/own-paths.json" <<'PY'
import json, sys
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1]); zk.start(timeout=15)
own = set(json.load(open(sys.argv[2])))
left = [f"/zuul/components/{k}/{n}" for k in zk.get_children("/zuul/components")
        for n in zk.get_children(f"/zuul/components/{k}") if f"/zuul/components/{k}/{n}" not in own]
print(" ".join(left)); zk.stop(); zk.close()
PY
)
[[ -z $remaining ]] || check_failed 6 "component nodes left after Fingerpost stopped: $remaining"
# A happy path from start to shutdown: no ERROR line and no stack trace in any Fingerpost log.
fp_errors=$(grep -H -E "^[0-9:.]+ ERROR|Exception|^\s+at " "$WORK"/gateway-*.log "$WORK"/web.log 2>/dev/null | head -3)
[[ -z $fp_errors ]] || check_failed 6 "errors in Fingerpost's logs:
$(cut -c1-300 <<<"$fp_errors" | sed 's/^/    /')"
kill -TERM "$FAKE_PID"
for _ in $(seq 1 200); do kill -0 "$FAKE_PID" 2>/dev/null || break; sleep 0.1; done
kill -9 "$FAKE_PID" 2>/dev/null && echo "  (the fake Zuul did not stop in 20 s)"
wait "$FAKE_PID" || check_failed 6 "the fake Zuul did not stop cleanly: $(tail -3 "$WORK/zuul-fake.log")"
FAKE_PID=
passed 6

# --- verdict -------------------------------------------------------------------------------------
duration=$((SECONDS - START))
echo "=== ${NAME} summary (${duration}s)"
labels=([1]="Fingerpost nodes are Zuul components at model_api $MODEL_API; system minimum $MODEL_API"
  [2]="rolling upgrade: system minimum follows to $UPGRADED_API"
  [3]="finger (gateway A, TLS) and websocket (web) streams byte-identical, zone-a direct and zone-b relayed"
  [4]="health endpoints on prometheus_port"
  [5]="listeners exactly as configured"
  [6]="no model_api errors; clean shutdown, nodes gone")
for n in 1 2 3 4 5 6; do echo "  [$n] ${RESULT[$n]:-FAIL} ${labels[$n]}"; done
if ((${#FAILURES[@]})); then
  echo "FAIL ${NAME}: ${#FAILURES[@]} failed check(s)"
  exit 1
fi
echo "PASS ${NAME}: Fingerpost from zuul.conf next to a Zuul at model_api $MODEL_API -> $UPGRADED_API; streams of zone-a and zone-b byte-identical over finger/TLS and websocket; health and listeners as configured (${duration}s)"
