#!/usr/bin/env bash
# Scenario (root): real network separation between zones. Each zone is a network namespace of its
# own, joined by one veth link. Zone B's streamer listens on an address that exists only inside zone
# B, so zone A reaches zone B only through zone B's gateway on the link. Shows that a direct
# connection from zone A to the executor fails and that the relayed stream arrives complete.
# ZooKeeper runs in zone A on the link address, reachable from both. Cleans up whatever happens
# (processes, namespaces, veth).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/scenarios/lib.bash

JAR=packaging/target/fingerpost.jar
if [[ $(id -u) != 0 ]]; then echo "FAIL netns-zones: needs root (ip netns)"; exit 1; fi
if [[ ! -f $JAR ]]; then echo "FAIL netns-zones: $JAR missing (mvn verify builds it)"; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
need=()
command -v ip >/dev/null || need+=(iproute2)
[[ -f /usr/share/java/zookeeper.jar ]] || need+=(zookeeper)
if ((${#need[@]})); then
  if apt-cache policy "${need[@]}" | grep -q 'Candidate: (none)'; then apt-get update -q; fi
  apt-get install -y -q "${need[@]}" >/dev/null
fi

ns="fp-zone-b-$$"
ns_a="fp-zone-a-$$"
veth_a="fpa$$"; veth_b="fpb$$"
net=$((10 + $$ % 200))
addr_a="10.201.${net}.1"      # zone A's end of the link; ZooKeeper binds here
addr_b="10.201.${net}.2"      # zone B's gateway: the only zone-B address zone A can reach
addr_exec="10.202.${net}.2"   # zone B's executor: exists only inside the namespace
work=$(mktemp -d /tmp/fingerpost-netns.XXXXXX)
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in "$ns" "$ns_a"; do
    ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$n" 2>/dev/null || true
  done
  if ((rc != 0)); then
    for f in "$work"/*.log; do echo "--- $f (last lines)"; grep -v DEBUG "$f" | tail -15; done 2>/dev/null || true
    echo "FAIL netns-zones"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
ip netns add "$ns_a"
ip link add "$veth_a" type veth peer name "$veth_b"
ip link set "$veth_b" netns "$ns"
ip link set "$veth_a" netns "$ns_a"
ip -n "$ns_a" addr add "$addr_a/24" dev "$veth_a"
ip -n "$ns_a" link set "$veth_a" up
ip -n "$ns_a" link set lo up
ip -n "$ns" addr add "$addr_b/24" dev "$veth_b"
ip -n "$ns" link set "$veth_b" up
ip -n "$ns" link set lo up
ip -n "$ns" addr add "$addr_exec/32" dev lo
echo "zone B namespace $ns: gateway address $addr_b, executor address $addr_exec (private)"

# ZooKeeper, standalone, on the link address.
zk_port=$(free_port)
mkdir -p "$work/zk"
printf 'tickTime=500\ndataDir=%s\nclientPort=%s\nclientPortAddress=%s\nadmin.enableServer=false\n4lw.commands.whitelist=ruok\n' \
  "$work/zk" "$zk_port" "$addr_a" >"$work/zk/zoo.cfg"
ip netns exec "$ns_a" java -Xmx128m -cp "/usr/share/java/zookeeper.jar" org.apache.zookeeper.server.quorum.QuorumPeerMain \
  "$work/zk/zoo.cfg" >"$work/zookeeper.log" 2>&1 &
pids+=($!)
# in_a CMD: runs a shell command (with lib.bash's helpers) inside zone A.
in_a() { ip netns exec "$ns_a" bash -c ". scripts/scenarios/lib.bash; $1"; }
wait_for 60 "ZooKeeper on $addr_a:$zk_port" in_a "port_open $addr_a $zk_port"

st_port=$(free_port); gwb_port=$(free_port); gwa_port=$(free_port); gwa_mon=$(free_port)
mkdir -p "$work/jobs"
cat >"$work/zone-b.yaml" <<YAML
zookeeper: {hosts: "$addr_a:$zk_port", session_timeout: 10}
fingergw: {listen_address: "$addr_b", port: $gwb_port, hostname: "$addr_b", zone: zone-b}
executor: {listen_address: "$addr_exec", finger_port: $st_port, hostname: "$addr_exec", zone: zone-b,
           job_dir: "$work/jobs"}
YAML
cat >"$work/zone-a.yaml" <<YAML
zookeeper: {hosts: "$addr_a:$zk_port", session_timeout: 10}
fingergw: {listen_address: 127.0.0.1, port: $gwa_port, hostname: 127.0.0.1, zone: zone-a,
           prometheus_port: $gwa_mon, prometheus_addr: 127.0.0.1}
YAML
ip netns exec "$ns" java -Xmx256m -jar "$JAR" streamer --config "$work/zone-b.yaml" >"$work/streamer-b.log" 2>&1 &
pids+=($!)
ip netns exec "$ns" java -Xmx256m -jar "$JAR" gateway --config "$work/zone-b.yaml" >"$work/gateway-b.log" 2>&1 &
pids+=($!)
ip netns exec "$ns_a" java -Xmx256m -jar "$JAR" gateway --config "$work/zone-a.yaml" >"$work/gateway-a.log" 2>&1 &
pids+=($!)
wait_for 60 "zone B gateway reachable from zone A" in_a "port_open $addr_b $gwb_port"
wait_for 60 "zone A gateway listening" in_a "port_open 127.0.0.1 $gwa_port"

# The executor is out of zone A's reach.
if timeout 5 ip netns exec "$ns_a" bash -c "exec 3<>/dev/tcp/$addr_exec/$st_port" 2>/dev/null; then
  echo "zone A could connect to the executor directly: no separation" >&2
  exit 1
fi
echo "direct connection from zone A to the executor $addr_exec:$st_port fails, as it should"

uuid=$(tr -d - </proc/sys/kernel/random/uuid)
log="$work/jobs/$uuid/work/logs/job-output.txt"
mkdir -p "$(dirname "$log")"
head -c 3000000 /dev/urandom >"$log"
found() { out=$(in_a "exec 3<>/dev/tcp/127.0.0.1/$gwa_port && printf '%s\n' $uuid >&3 && head -c 15 <&3 | tr -d '\0'"); [[ -n $out && $out != "Build not found" ]]; }
wait_for 60 "build $uuid served through zone A's gateway" found
ip netns exec "$ns_a" bash -c "exec 3<>/dev/tcp/127.0.0.1/$gwa_port && printf '%s\n' $uuid >&3 && exec cat <&3 >$work/received" >/dev/null 2>&1 &
reader=$!; pids+=($reader)
head -c 1000000 /dev/urandom >>"$log"
wait_for 60 "all bytes relayed" size_at_least "$work/received" "$(file_size "$log")"
cp "$log" "$work/expected"
rm -rf "$work/jobs/$uuid"
wait_for 30 "stream end" bash -c "! kill -0 $reader 2>/dev/null"
cmp "$work/received" "$work/expected"
metrics=$(in_a "exec 3<>/dev/tcp/127.0.0.1/$gwa_mon && printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3 && cat <&3")
grep -q 'fingerpost_streams_opened_total{route="gateway"} [1-9]' <<<"$metrics" || {
  echo "zone A's gateway did not count a gateway route" >&2; exit 1; }
echo "PASS netns-zones: $(file_size "$work/expected") bytes relayed zone A -> zone B gateway -> executor, identical"
