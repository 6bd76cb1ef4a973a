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
#   ovs         two ovs-vswitchd (Open vSwitch 3.1 with DPDK), each with its own ovsdb-server, EAL file
#               prefix and network namespace (its bridges' kernel interfaces and the routes its tunnel
#               follows are the namespace's), one PMD each on CPU 1 with other_config:pmd-maxsleep (an
#               idle PMD sleeps, so each gives the core to the other; OVS_MAXSLEEP, default 200 µs):
#               br-phy with a type=dpdk net_memif port (A server, B client; MTU 2000) and 192.0.2.1 or
#               .2/24, br-int with a dpdkvhostuserclient port to the loop (vh) and a VXLAN port (vx, VNI
#               10) to the other host, flows vh -> vx and vx -> vh; the note has both PMDs' processing
#               cycles per packet;
#   vanswitch-proxies
#               the same two vanswitch instances as two sites' proxies (docs/federation.md), each in a
#               network namespace of its own (the proxy's kernel interface vsproxy0 has a fixed name),
#               their public ports joined by net_memif, a TLS 1.3 session between them, VAN 10 mapped
#               both ways: a frame is sealed (AES-256-GCM) at A, crosses the memif link and is opened at
#               B, and back; the sealed variant of 'vanswitch'. Each proxy's own underlay is a net_null
#               that receives nothing (a proxy is an edge of its site; these sites have no other host).
#   perf/host-to-host.sh [--quick]    DUR=15 (--quick: 2); FRAMES as local-loop.sh; OVS_MAXSLEEP=200;
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
# ovs: other_config:pmd-maxsleep of both instances, in µs (OVS 3.1: 0 to 10000, 0 = never sleep). 200 gave
# OVS its best rate here: 10-10000 tried, 30-10000 alike within this VM's noise, 10 and less clearly worse.
OVS_MAXSLEEP=${OVS_MAXSLEEP:-200}
perf_scenario $SC "Host to host: vhost-user -> VAN -> memif underlay -> VAN -> vhost-user" "frame size (bytes)" \
  "both switches: CPU 1 (one PMD each, sharing it); generator: CPU 0" \
  "dpdk-testpmd macswap loop with one virtio-user port on each host's switch ('start tx_first ${BURSTS:-8}'), the sum of both ports' Rx-pps over $DUR s; the hosts' underlays are joined by net_memif; ovs: two ovs-vswitchd, each in a network namespace, VXLAN between their br-phy addresses over the memif link, other_config:pmd-maxsleep=$OVS_MAXSLEEP us (an idle PMD sleeps, so the two share CPU 1; the best of 10 to 10000 us tried); vanswitch-proxies: the two as two sites' proxies, each in a network namespace, frames sealed (AES-256-GCM) between their public ports joined by net_memif (public MTU $PROXY_MTU); $MODE mode"

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

# ---- ovs: two ovs-vswitchd instances, VXLAN between them over the memif link ----

ovs_ctl() { ovs-appctl --timeout=10 -t "$W/ovs$1/vsd.ctl" "${@:2}" 2>&1; }   # ovs_ctl a|b COMMAND...
ovs_vsctl() { ovs-vsctl --timeout=30 --db=unix:"$W/ovs$1/db.sock" "${@:2}"; }
ovs_ofctl() { ovs-ofctl --timeout=10 "$2" unix:"$W/ovs$1/$3.mgmt" "${@:4}"; }   # ovs_ofctl a|b COMMAND BRIDGE ARGS...
ovs_ul_state() { ovs_vsctl "$1" get Interface ul0 link_state 2>/dev/null; }
ovs_cycles() { ovs_ctl "$1" dpif-netdev/pmd-stats-show | awk '/avg processing cycles per packet/ {print $6; exit}'; }

# One Open vSwitch "host" in a network namespace of its own (its bridges' kernel interfaces and the
# route table its tunnel follows are the namespace's): $1 name (a|b), $2 underlay IP, $3 peer IP, $4 memif
# role, $5 underlay MAC (the memif port's and br-phy's), $6 the peer's underlay MAC.
start_ovs_host() {
  local R=$W/ovs$1 NS=vsh2hovs$1 err
  rm -rf "$R"
  ip netns del "$NS" 2>/dev/null; ip netns add "$NS" || { PERF_WHY="ip netns add $NS failed"; return 1; }
  PERF_NETNS+=("$NS"); ip -n "$NS" link set lo up
  PERF_OVS_CONFIG="pmd-maxsleep=$OVS_MAXSLEEP" perf_start_ovs_daemons "$R" "vsh2hovs$1" ip netns exec "$NS" ||
    { PERF_WHY="host $1: $PERF_WHY"; return 1; }
  # The memif socket is a file (socket-abstract=no): an abstract socket name is per network namespace.
  # n_rxq=2: OVS gives the port a tx queue per PMD plus one (2), and memif pairs the client's tx rings
  # with the server's rx queues: with one rx queue the server refuses the client's second ring and the
  # link never comes up.
  ovs_vsctl "$1" add-br br-phy -- set bridge br-phy datapath_type=netdev other_config:hwaddr="$5" &&
  ovs_vsctl "$1" add-port br-phy ul0 -- set Interface ul0 type=dpdk mtu_request=2000 options:n_rxq=2 \
    "options:dpdk-devargs=net_memif_ovs$1,role=$4,socket=$W/ovs-memif.sock,socket-abstract=no,id=0,mac=$5" &&
  ovs_vsctl "$1" add-br br-int -- set bridge br-int datapath_type=netdev &&
  ovs_vsctl "$1" add-port br-int vh -- set Interface vh type=dpdkvhostuserclient mtu_request=2000 \
    options:vhost-server-path="$W/ovs$1-vm.sock" &&
  ovs_vsctl "$1" add-port br-int vx -- set Interface vx type=vxlan options:remote_ip="$3" options:key=10 ||
    { PERF_WHY="host $1: ovs-vsctl failed: $(tail -2 "$R/vsd.log" | tr '\n' ' ')"; return 1; }
  err=$(ovs_vsctl "$1" get Interface ul0 error 2>&1)
  [ -z "$err" ] || [ "$err" = '[]' ] || { PERF_WHY="host $1: the memif port: $err"; return 1; }
  ip netns exec "$NS" ip addr add "$2/24" dev br-phy && ip netns exec "$NS" ip link set br-phy up ||
    { PERF_WHY="host $1: no address on br-phy"; return 1; }
  ovs_ofctl "$1" del-flows br-phy && ovs_ofctl "$1" add-flow br-phy actions=NORMAL &&
  ovs_ofctl "$1" del-flows br-int && ovs_ofctl "$1" add-flow br-int in_port=vh,actions=output:vx &&
  ovs_ofctl "$1" add-flow br-int in_port=vx,actions=output:vh || { PERF_WHY="host $1: ovs-ofctl failed"; return 1; }
}

# Whether host $1's tunnel is ready: the route to the peer $2 through br-phy, and its MAC ($3) in the
# tunnel neighbour cache (set when missing).
ovs_tunnel_ready() {
  ovs_ctl "$1" ovs/route/lookup "$2" | grep -q 'dev br-phy' || return 1
  ovs_ctl "$1" tnl/neigh/show | grep -q "$2 .*$3" && return 0
  ovs_ctl "$1" tnl/arp/set br-phy "$2" "$3" >/dev/null; return 1
}

run_ovs() {
  local N=ovs MA=02:00:00:00:03:01 MB=02:00:00:00:03:02 f m
  perf_ovs_installed || { perf_skip $SC $N "$PERF_WHY"; return; }
  if ! { start_ovs_host a 192.0.2.1 192.0.2.2 server $MA $MB && start_ovs_host b 192.0.2.2 192.0.2.1 client $MB $MA; }; then
    perf_skip $SC $N "$PERF_WHY"; perf_cleanup; return
  fi
  ovs_links_up() { [ "$(ovs_ul_state a)" = up ] && [ "$(ovs_ul_state b)" = up ]; }
  ovs_tunnels_ready() { ovs_tunnel_ready a 192.0.2.2 $MB && ovs_tunnel_ready b 192.0.2.1 $MA; }
  if ! perf_poll 100 ovs_links_up; then
    perf_skip $SC $N "the memif link did not come up within 20 s: ul0 link_state A $(ovs_ul_state a), B $(ovs_ul_state b); A's log: $(grep -a -i memif "$W/ovsa/vsd.log" | tail -2 | tr '\n' ' ')"
    perf_cleanup; return
  fi
  if ! perf_poll 50 ovs_tunnels_ready; then
    perf_skip $SC $N "the tunnels' route or neighbour was not ready within 10 s: A: $(ovs_ctl a ovs/route/lookup 192.0.2.2 | tr '\n' ' ') B: $(ovs_ctl b ovs/route/lookup 192.0.2.1 | tr '\n' ' ')"
    perf_cleanup; return
  fi
  # untimed, a check that the loop carries (and the flows' first frames take the slow path, upcalls, here)
  m=$(DUR=2 perf_loop_generate "$W/ovsa-vm.sock" "$W/ovsb-vm.sock" ",server=1" ovs-warm 64)
  if awk -v m="${m:-0}" 'BEGIN {exit !(m < 0.001)}'; then
    perf_skip $SC $N "no traffic through the two hosts in the warm-up (${m:-no} Mpps): A ul0 $(ovs_ofctl a dump-ports br-phy ul0 | grep -o '[rt]x pkts=[0-9]*' | tr '\n' ' ')B ul0 $(ovs_ofctl b dump-ports br-phy ul0 | grep -o '[rt]x pkts=[0-9]*' | tr '\n' ' ')A vh $(ovs_ofctl a dump-ports br-int vh | grep -o '[rt]x pkts=[0-9]*' | tr '\n' ' ')"
    perf_cleanup; return
  fi
  for f in $FRAMES; do
    ovs_ctl a dpif-netdev/pmd-stats-clear >/dev/null; ovs_ctl b dpif-netdev/pmd-stats-clear >/dev/null
    m=$(perf_loop_generate "$W/ovsa-vm.sock" "$W/ovsb-vm.sock" ",server=1" ovs "$f")
    perf_record_rate $SC $N "$f" "$m" "pmd-maxsleep $OVS_MAXSLEEP us; avg processing cycles per packet: A $(ovs_cycles a), B $(ovs_cycles b)"
  done
  ovs_ctl a dpif-netdev/pmd-stats-show > "$RESULTS/host-to-host-ovs-a-pmd-stats.txt"
  ovs_ctl b dpif-netdev/pmd-stats-show > "$RESULTS/host-to-host-ovs-b-pmd-stats.txt"
  perf_cleanup
}

for s in ${SWITCHES:-testpmd-io ovs vanswitch vanswitch-proxies}; do run_${s//-/_}; done
[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
