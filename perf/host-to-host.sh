#!/usr/bin/env bash
# Host to host: two switches joined by net_memif as their underlay, VM to VM across them, by frame size
# (docs/performance.md).
#
# Method: the loop of perf/local-loop.sh (one dpdk-testpmd, CPU 0, two virtio-user ports, macswap,
# 'start tx_first 8'), with its first port on host A's switch and its second on host B's. A frame
# crosses A (encapsulation), the memif link, and B (decapsulation), and comes back the same way. Both
# "hosts" share CPU 1, the one core this machine has for switching:
#   testpmd-io  one dpdk-testpmd, io forwarding vhost0 <-> memif server and memif client <-> vhost1
#               (the ceiling: no work per packet);
#   vanswitch   two vanswitch instances, one PMD each on CPU 1 with --idle yield (so each gives the core
#               to the other when it has nothing to do), VAN 10 on both, site peers of each other;
#   ovs         skipped, with the reason in the report: two ovs-vswitchd cannot share one PMD core (their
#               PMDs never yield), and one ovs-vswitchd as both hosts does not bring up a memif link to
#               itself (tried; see run_ovs);
#   vanswitch-proxies
#               the same two vanswitch instances as two sites' proxies (docs/federation.md), each in a
#               network namespace of its own (the proxy's kernel interface vsproxy0 has a fixed name),
#               their public ports joined by net_memif, a TLS 1.3 session between them, VAN 10 mapped
#               both ways: a frame is sealed (AES-256-GCM) at A, crosses the memif link and is opened at
#               B, and back; the sealed variant of 'vanswitch'. Each proxy's own underlay is a net_null
#               that receives nothing (a proxy is an edge of its site; these sites have no other host).
#   perf/host-to-host.sh [--quick]    DUR=15 (--quick: 2); FRAMES as local-loop.sh;
#   SWITCHES="testpmd-io ovs vanswitch vanswitch-proxies"
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
perf_begin host-to-host "${1:-}" vsperfgen vsh2h
DUR=${DUR:-15}; FRAMES=${FRAMES:-$PERF_FRAMES_FULL}
[ $MODE = quick ] && { DUR=${QUICK_DUR:-2}; FRAMES=${QUICK_FRAMES:-$PERF_FRAMES_QUICK}; }
SC=host-to-host
PROXY_MTU=2000   # vanswitch-proxies' public MTU, as the overlay's underlay MTU: 1518-byte tenant frames fit sealed (MTU - 68)
perf_scenario $SC "Host to host: vhost-user -> VAN -> memif underlay -> VAN -> vhost-user" "frame size (bytes)" \
  "both switches: CPU 1 (one PMD each, sharing it); generator: CPU 0" \
  "dpdk-testpmd macswap loop with one virtio-user port on each host's switch ('start tx_first ${BURSTS:-8}'), the sum of both ports' Rx-pps over $DUR s; the hosts' underlays are joined by net_memif; vanswitch-proxies: the two as two sites' proxies, each in a network namespace, frames sealed (AES-256-GCM) between their public ports joined by net_memif (public MTU $PROXY_MTU); $MODE mode"

# testpmd's forwarding starts once the generator's virtio-user ports are connected: started before,
# it never receives from the vhost-user ports in this four-port setup (seen with DPDK 22.11).
run_testpmd_io() {
  rm -f "$W"/tp*.sock "$W/tp.in"; mkfifo "$W/tp.in"; exec 7<>"$W/tp.in"
  dpdk-testpmd -l 0,1 --main-lcore=0 --no-pci --file-prefix=vsh2htp -m 256 --log-level='*:notice' \
    --vdev "net_vhost0,iface=$W/tp0.sock,queues=1" --vdev "net_vhost1,iface=$W/tp1.sock,queues=1" \
    --vdev "net_memif0,role=server,socket=$W/tp-memif.sock,id=0" --vdev "net_memif1,role=client,socket=$W/tp-memif.sock,id=0" \
    -- --total-num-mbufs=16384 --forward-mode=io --port-topology=paired --portlist=0,2,3,1 --no-lsc-interrupt -i <&7 >"$W/tp-sw.log" 2>&1 &
  PIDS+=($!); wait_socket "$W/tp1.sock" 200
  local f
  for f in $FRAMES; do
    perf_loop_generate "$W/tp0.sock" "$W/tp1.sock" "" tp "$f" > "$W/tp-$f.mpps" &
    sleep 2; echo start >&7; wait $!; echo stop >&7
    perf_record_rate $SC testpmd-io "$f" "$(cat "$W/tp-$f.mpps")"
  done
  echo quit >&7; exec 7>&-
  perf_cleanup
}

# One vanswitch "host": $1 name, $2 underlay IP, $3 peer IP, $4 memif role, $5 underlay MAC.
start_host() {
  local S=$W/$1.sock
  "$VS_HOME/vanswitch" start --socket "$S" --state-dir "$W/$1-state" --cores 1 --idle yield --eal-prefix "vsh2h$1" \
    --mem 256 --mbufs 16384 >"$W/vanswitch-$1.log" 2>&1 &
  PIDS+=($!); wait_socket "$S" 200 || { perf_skip $SC vanswitch "host $1 failed to start: $(tail -1 "$W/vanswitch-$1.log")"; return 1; }
  local reply
  reply=$(perf_ctl "$S" "underlay-set	devargs=net_memif_ul0,role=$4,socket=$W/memif.sock,id=0,mac=$5	ip=$2/24	mtu=2000")
  echo "$reply" | grep -q '^ok' || { perf_skip $SC vanswitch "host $1: underlay-set failed: $reply"; return 1; }
  perf_ctl "$S" "site-peer-add	ip=$3" >/dev/null
  perf_ctl "$S" "van-add	id=10" >/dev/null
  perf_ctl "$S" "port-add	name=vm	van=10	type=vhost-user	target=$W/$1-vm.sock" >/dev/null
  wait_socket "$W/$1-vm.sock" 200
}

run_vanswitch() {
  start_host a 192.0.2.1 192.0.2.2 server 02:00:00:00:01:01 && start_host b 192.0.2.2 192.0.2.1 client 02:00:00:00:01:02 || { perf_cleanup; return; }
  local f m
  for f in $FRAMES; do
    [ "$f" = "${FRAMES%% *}" ] && DUR=$PERF_WARM perf_loop_generate "$W/a-vm.sock" "$W/b-vm.sock" "" vs-warm 64 >/dev/null
    m=$(perf_loop_generate "$W/a-vm.sock" "$W/b-vm.sock" "" vs "$f")
    perf_record_rate $SC vanswitch "$f" "$m" \
      "A: $(perf_ctl "$W/a.sock" underlay-show | tr '\t' '\n' | grep -E '^(encapsulated|decapsulated)=' | tr '\n' ' ')"
  done
  perf_ctl "$W/a.sock" stats > "$RESULTS/host-to-host-a-stats.txt" 2>&1
  perf_ctl "$W/b.sock" stats > "$RESULTS/host-to-host-b-stats.txt" 2>&1
  perf_cleanup
}

# ---- vanswitch-proxies: two sites' proxies, sealed data between their public ports ----

# A CA and the certificates of site-a and site-b, as docs/federation.md makes them, in $W/pki.
make_pki() {
  local P=$W/pki n
  mkdir -p "$P" || return 1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/ca.key" -out "$P/ca.pem" \
    -days 2 -subj /CN=vsperf-ca >"$P/openssl.log" 2>&1 || return 1
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' > "$P/leaf.ext"
  for n in site-a site-b; do
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/$n.key" -out "$P/$n.csr" \
      -subj "/CN=$n" >>"$P/openssl.log" 2>&1 &&
    openssl x509 -req -in "$P/$n.csr" -CA "$P/ca.pem" -CAkey "$P/ca.key" -CAcreateserial -days 2 \
      -extfile "$P/leaf.ext" -out "$P/$n.pem" >>"$P/openssl.log" 2>&1 || return 1
  done
}

# The peer row of a proxy's proxy-show, one field=value per line.
proxy_peer_row() { perf_ctl "$1" proxy-show | grep -a $'^row\tkind=peer\t' | head -1 | tr '\t' '\n'; }
proxy_field() { sed -n "s/^$1=//p" | head -1; }   # proxy_field NAME < row
# Whether the peer row of control socket $1 shows the link ready for data: session up, a key, the
# peer's MAC resolved.
proxy_ready() {
  local row; row=$(proxy_peer_row "$1")
  [ "$(echo "$row" | proxy_field state)" = up ] && [ -n "$(echo "$row" | proxy_field key)" ] &&
    [ "$(echo "$row" | proxy_field key)" != - ] && [ -n "$(echo "$row" | proxy_field next_hop_mac)" ] &&
    [ "$(echo "$row" | proxy_field next_hop_mac)" != - ]
}
# The peer row's packet counters and its non-zero drop counters (cumulative), for a note.
proxy_counters() {
  proxy_peer_row "$1" | awk -F= '$1 == "tx_packets" || $1 == "rx_packets" || ($1 ~ /^drop_/ && $2 != "0") {printf "%s%s", sep, $0; sep = " "}'
}

# One proxy "site": $1 name (a|b), $2 public IP, $3 peer's public IP, $4 memif role, $5 public MAC, $6 underlay IP,
# $7 this site's certificate name, $8 the peer's.
start_proxy() {
  local S=$W/p$1.sock NS=vsh2hp$1 reply
  ip netns del "$NS" 2>/dev/null; ip netns add "$NS" || { PERF_WHY="ip netns add $NS failed"; return 1; }
  PERF_NETNS+=("$NS")
  ip -n "$NS" link set lo up
  ip netns exec "$NS" "$VS_HOME/vanswitch" start --socket "$S" --state-dir "$W/p$1-state" --cores 1 --idle yield \
    --eal-prefix "vsh2hp$1" --mem 256 --mbufs 16384 >"$W/vanswitch-p$1.log" 2>&1 &
  PIDS+=($!); wait_socket "$S" 200 || { PERF_WHY="proxy $1 failed to start: $(tail -1 "$W/vanswitch-p$1.log")"; return 1; }
  reply=$(perf_ctl "$S" "underlay-set	devargs=net_null_ul$1,no-rx=1	ip=$6/24	mac=02:00:00:00:0a:0$([ "$1" = a ] && echo 1 || echo 2)")
  echo "$reply" | grep -q '^ok' || { PERF_WHY="proxy $1: underlay-set failed: $reply"; return 1; }
  perf_ctl "$S" "van-add	id=10" >/dev/null
  perf_ctl "$S" "port-add	name=vm	van=10	type=vhost-user	target=$W/p$1-vm.sock" >/dev/null
  reply=$(perf_ctl "$S" "proxy-enable	public-devargs=net_memif_pub$1,role=$4,socket=$W/pub-memif.sock,socket-abstract=no,id=0,mac=$5	public-ip=$2/24	cert=$W/pki/$7.pem	key=$W/pki/$7.key	ca=$W/pki/ca.pem	mtu=$PROXY_MTU")
  echo "$reply" | grep -q '^ok' || { PERF_WHY="proxy $1: proxy-enable failed: $reply"; return 1; }
  reply=$(perf_ctl "$S" "proxy-peer-add	name=$8	address=$3")
  echo "$reply" | grep -q '^ok' || { PERF_WHY="proxy $1: proxy-peer-add failed: $reply"; return 1; }
  reply=$(perf_ctl "$S" "proxy-map	name=$8	local-van=10	remote-van=10")
  echo "$reply" | grep -q '^ok' || { PERF_WHY="proxy $1: proxy-map failed: $reply"; return 1; }
  wait_socket "$W/p$1-vm.sock" 200 || { PERF_WHY="proxy $1: no vhost-user socket"; return 1; }
}

run_vanswitch_proxies() {
  local N=vanswitch-proxies f m i big
  command -v openssl >/dev/null || { perf_skip $SC $N "openssl missing (apt-get install openssl): the proxies need certificates"; return; }
  make_pki || { perf_skip $SC $N "openssl could not make the certificates: $(tail -1 "$W/pki/openssl.log")"; return; }
  if ! { start_proxy a 192.0.2.1 192.0.2.2 server 02:00:00:00:02:01 10.9.0.1 site-a site-b &&
         start_proxy b 192.0.2.2 192.0.2.1 client 02:00:00:00:02:02 10.9.0.2 site-b site-a; }; then
    perf_skip $SC $N "$PERF_WHY"; perf_cleanup; return
  fi
  # the session (TLS over vsproxy0 through the memif link), the data keys and the peer's MAC, both ways
  for i in $(seq 150); do proxy_ready "$W/pa.sock" && proxy_ready "$W/pb.sock" && break; sleep 0.2; done
  if ! { proxy_ready "$W/pa.sock" && proxy_ready "$W/pb.sock"; }; then
    perf_skip $SC $N "the proxies' link did not come up within 30 s: A: $(proxy_peer_row "$W/pa.sock" |
      grep -E '^(state|key|next_hop_mac|last_error)=' | tr '\n' ' ')B: $(proxy_peer_row "$W/pb.sock" |
      grep -E '^(state|key|next_hop_mac|last_error)=' | tr '\n' ' ')A's log: $(tail -3 "$W/vanswitch-pa.log" | tr '\n' ' ')"
    perf_cleanup; return
  fi
  for f in $FRAMES; do
    big=$(case $f in imix) echo 1518 ;; *) echo "$f" ;; esac)
    if [ "$big" -gt $((PROXY_MTU - 68)) ]; then
      perf_record $SC $N "$f" mpps "" "skipped: $big-byte frames exceed the largest sealed tenant frame ($((PROXY_MTU - 68)) bytes with a $PROXY_MTU-byte public MTU)"
      continue
    fi
    [ "$f" = "${FRAMES%% *}" ] && DUR=$PERF_WARM perf_loop_generate "$W/pa-vm.sock" "$W/pb-vm.sock" "" px-warm 64 >/dev/null
    m=$(perf_loop_generate "$W/pa-vm.sock" "$W/pb-vm.sock" "" px "$f")
    perf_record_rate $SC $N "$f" "$m" "peer rows since start: A: $(proxy_counters "$W/pa.sock"); B: $(proxy_counters "$W/pb.sock")"
  done
  perf_ctl "$W/pa.sock" proxy-show > "$RESULTS/host-to-host-proxy-a-show.txt" 2>&1
  perf_ctl "$W/pb.sock" proxy-show > "$RESULTS/host-to-host-proxy-b-show.txt" 2>&1
  perf_ctl "$W/pa.sock" stats > "$RESULTS/host-to-host-proxy-a-stats.txt" 2>&1
  perf_ctl "$W/pb.sock" stats > "$RESULTS/host-to-host-proxy-b-stats.txt" 2>&1
  perf_cleanup
}

run_ovs() {
  perf_skip $SC ovs "two ovs-vswitchd instances would busy-poll against each other on the one switching core; one instance as both hosts does not work either: its memif server and client never bring the link up within one process, and its tunnel route lookup prefers the other bridge's local address (tried with OVS 3.1)"
}

for s in ${SWITCHES:-testpmd-io ovs vanswitch vanswitch-proxies}; do run_${s//-/_}; done
[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
