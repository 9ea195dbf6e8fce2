# Shared helpers of the scenario scripts (sourced, not run; not *.sh so scripts/test skips it).

# A TCP port nobody listens on now (loopback by default), from a random start.
free_port() {
  local host=${1:-127.0.0.1} p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768+), so no outgoing socket holds it
    if ! (exec 3<>"/dev/tcp/${host}/${p}") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: runs COMMAND every 0.1 s until it succeeds or time is up.
wait_for() {
  local secs=$1 what=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${secs}s waiting for: ${what}" >&2
      return 1
    fi
    sleep 0.1
  done
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# file_size FILE: its size in bytes, 0 when missing.
file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

size_at_least() { (($(file_size "$1") >= $2)); }

# finger HOST PORT UUID OUT: streams a build into OUT in the background; prints the reader's pid.
finger_bg() {
  local host=$1 port=$2 uuid=$3 out=$4
  # Its stdout is not the caller's $(...) pipe, or the substitution would wait for the stream's end.
  (exec 3<>"/dev/tcp/${host}/${port}" && printf '%s\n' "$uuid" >&3 && cat <&3 >"$out") >/dev/null 2>&1 &
  echo $!
}

# http_status HOST PORT PATH: the status code of a plain HTTP GET.
http_status() {
  local reply
  reply=$(exec 3<>"/dev/tcp/$1/$2" && printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$3" "$1" >&3 && head -1 <&3)
  echo "$reply" | awk '{print $2}'
}

# bench_pki DIR: a throwaway CA and one certificate for localhost and 127.0.0.1 (server and client use)
# in DIR: ca.crt, node.crt, node.key (EC P-256, valid one day), as the TLS benchmarks read them.
bench_pki() {
  local pki=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" \
    -subj "/CN=bench CA" -days 1 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/node.key" -out "$pki/node.csr" \
    -subj "/CN=localhost" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' > "$pki/ext"
  openssl x509 -req -in "$pki/node.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 1 \
    -extfile "$pki/ext" -out "$pki/node.crt" 2>/dev/null
}
