#!/usr/bin/env bash
# Scenario: a real three-node ZooKeeper ensemble (Debian's zookeeper package) on loopback ports, a
# streamer and a gateway from the fat jar connected to it (with a chroot), a growing log streamed
# through the gateway while the ensemble's leader is killed: nothing is lost (byte compare) and new
# requests still work. Cleans up whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/scenarios/lib.bash

JAR=packaging/target/fingerpost.jar
if [[ ! -f $JAR ]]; then
  echo "FAIL zookeeper-ensemble: $JAR missing (mvn verify builds it)"
  exit 1
fi
if [[ ! -f /usr/share/java/zookeeper.jar ]]; then
  export DEBIAN_FRONTEND=noninteractive
  if apt-cache policy zookeeper | grep -q 'Candidate: (none)'; then apt-get update -q; fi
  apt-get install -y -q zookeeper >/dev/null
fi

work=$(mktemp -d /tmp/fingerpost-ensemble.XXXXXX)
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if ((rc != 0)); then
    for f in "$work"/*.log; do echo "--- $f (last lines)"; tail -20 "$f"; done 2>/dev/null || true
    echo "FAIL zookeeper-ensemble"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- the ensemble: three QuorumPeerMain processes with their own configs and data directories
client=() ; quorum=() ; election=()
for i in 1 2 3; do
  client[$i]=$(free_port); quorum[$i]=$(free_port); election[$i]=$(free_port)
done
for i in 1 2 3; do
  mkdir -p "$work/zk$i/data"
  echo "$i" >"$work/zk$i/data/myid"
  {
    echo "tickTime=500"; echo "initLimit=20"; echo "syncLimit=10"
    echo "dataDir=$work/zk$i/data"; echo "clientPort=${client[$i]}"; echo "clientPortAddress=127.0.0.1"
    echo "admin.enableServer=false"; echo "4lw.commands.whitelist=srvr,ruok"
    for j in 1 2 3; do echo "server.$j=127.0.0.1:${quorum[$j]}:${election[$j]}"; done
  } >"$work/zk$i/zoo.cfg"
  java -Xmx128m -cp "$work/zk$i:/usr/share/java/zookeeper.jar" -Dzookeeper.log.dir="$work/zk$i" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$work/zk$i/zoo.cfg" >"$work/zk$i.log" 2>&1 &
  pids+=($!); zkpid[$i]=$!
done
zk_mode() { (exec 3<>"/dev/tcp/127.0.0.1/$1" && echo srvr >&3 && grep '^Mode:' <&3) 2>/dev/null | awk '{print $2}'; }
zk_serving() { [[ $(zk_mode "$1") == leader || $(zk_mode "$1") == follower ]]; }
for i in 1 2 3; do wait_for 60 "ZooKeeper node $i serving" zk_serving "${client[$i]}"; done
leader=0
for i in 1 2 3; do if [[ $(zk_mode "${client[$i]}") == leader ]]; then leader=$i; fi; done
((leader > 0)) || { echo "no leader found" >&2; exit 1; }
echo "ensemble up: client ports ${client[*]}, leader node $leader"

# --- Fingerpost against it, with a chroot in the hosts list (created by the first client)
hosts="127.0.0.1:${client[1]},127.0.0.1:${client[2]},127.0.0.1:${client[3]}/fingerpost-ci"
gw_port=$(free_port); st_port=$(free_port); gw_mon=$(free_port)
mkdir -p "$work/jobs"
cat >"$work/fingerpost.yaml" <<YAML
zookeeper:
  hosts: $hosts
  session_timeout: 10
  root: /zuul
fingergw:
  listen_address: 127.0.0.1
  port: $gw_port
  hostname: 127.0.0.1
  prometheus_port: $gw_mon
  prometheus_addr: 127.0.0.1
executor:
  listen_address: 127.0.0.1
  finger_port: $st_port
  hostname: 127.0.0.1
  job_dir: $work/jobs
YAML
java -Xmx256m -jar "$JAR" streamer --config "$work/fingerpost.yaml" >"$work/streamer.log" 2>&1 &
pids+=($!)
java -Xmx256m -jar "$JAR" gateway --config "$work/fingerpost.yaml" >"$work/gateway.log" 2>&1 &
pids+=($!)
wait_for 60 "gateway listening" port_open 127.0.0.1 "$gw_port"
ready() { [[ $(http_status 127.0.0.1 "$gw_mon" /health/ready) == 200 ]]; }
wait_for 60 "gateway ready (running)" ready

# --- a growing log, streamed through the gateway while the leader dies
uuid=$(cat /proc/sys/kernel/random/uuid | tr -d -)
log="$work/jobs/$uuid/work/logs/job-output.txt"
mkdir -p "$(dirname "$log")"
echo "build $uuid starts" >"$log"
(for n in $(seq 1 300); do printf 'line %05d %s\n' "$n" "$(head -c 60 /dev/urandom | base64 -w0)" >>"$log"; sleep 0.02; done) &
writer=$!; pids+=($writer)
found() { out=$(exec 3<>"/dev/tcp/127.0.0.1/$gw_port" && printf '%s\n' "$uuid" >&3 && head -c 5 <&3); [[ $out == build ]]; }
wait_for 30 "build $uuid known to the gateway" found
reader=$(finger_bg 127.0.0.1 "$gw_port" "$uuid" "$work/received"); pids+=($reader)
wait_for 20 "first bytes" size_at_least "$work/received" 100

kill -9 "${zkpid[$leader]}"
echo "killed ZooKeeper leader (node $leader) mid-stream"
wait "$writer" || true
cp "$log" "$work/expected"
wait_for 60 "all bytes relayed" size_at_least "$work/received" "$(file_size "$work/expected")"

# A new request after the loss: a new build, published by the streamer to the surviving quorum.
uuid2=$(cat /proc/sys/kernel/random/uuid | tr -d -)
mkdir -p "$work/jobs/$uuid2/work/logs"
head -c 200000 /dev/urandom | base64 >"$work/jobs/$uuid2/work/logs/job-output.txt"
found2() { out=$(exec 3<>"/dev/tcp/127.0.0.1/$gw_port" && printf '%s\n' "$uuid2" >&3 && head -c 20 <&3); [[ $out != "Build not found" && -n $out && $out != "Internal streaming e" ]]; }
wait_for 60 "new build streamed after losing a node" found2
reader2=$(finger_bg 127.0.0.1 "$gw_port" "$uuid2" "$work/received2"); pids+=($reader2)
wait_for 30 "second build complete" size_at_least "$work/received2" "$(file_size "$work/jobs/$uuid2/work/logs/job-output.txt")"
cmp "$work/received2" "$work/jobs/$uuid2/work/logs/job-output.txt"

# The end of the log: the job directory goes, the stream ends, and it is byte-identical.
rm -rf "$work/jobs/$uuid"
wait_for 30 "stream end" bash -c "! kill -0 $reader 2>/dev/null"
cmp "$work/received" "$work/expected"
echo "PASS zookeeper-ensemble: $(file_size "$work/expected") bytes identical across a leader loss; new requests served"
