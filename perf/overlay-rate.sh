#!/usr/bin/env bash
# Overlay packet rates on one PMD core, by frame size, side by side in one run (docs/performance.md).
#   encap: dpdk-testpmd txonly (CPU 0, virtio-user, frames to one remote MAC) -> vhost-user -> VAN
#          encapsulation -> underlay net_null (sink). Figure: the underlay's tx rate.
#   decap: underlay net_pcap replaying pre-built encapsulated frames (infinite_rx) -> decapsulation
#          -> vhost-user -> dpdk-testpmd rxonly. Figure: testpmd's rx rate.
# Switches: dpdk-testpmd io forwarding between the same two ports (the ceiling: no encapsulation),
# vanswitch (VAN header over UDP 4797; a static remote route for encap, FLOOD frames from a site
# peer for decap) and, when installed, Open vSwitch with DPDK tunnelling VXLAN (the method of
# ../shared/reference/ovs_vxlan.sh). Each switch runs one PMD on CPU 1.
#   perf/overlay-rate.sh [--quick]    DUR=10 (--quick: 2); FRAMES (inner frame sizes) as local-loop.sh;
#                                     SCENARIOS="encap decap"; SWITCHES="testpmd-io vanswitch ovs";
#                                     ROUNDS (full: 3, --quick: 1): the switches in turn, medians recorded
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
perf_begin overlay-rate "${1:-}" vsorovs vsorgen vsortp vsor_
DUR=${DUR:-10}; FRAMES=${FRAMES:-$PERF_FRAMES_FULL}
[ $MODE = quick ] && { DUR=${QUICK_DUR:-2}; FRAMES=${QUICK_FRAMES:-$PERF_FRAMES_QUICK}; }
UL_MAC=02:00:00:00:01:01; PEER_MAC=02:00:00:00:02:02; VM_MAC=52:54:00:00:00:01; REMOTE_VM=52:54:00:00:00:02
UL_MTU=2000   # room for a 1518-byte inner frame and its outer headers

field() { tr '\t' '\n' | awk -F= -v k="$1" '$1 == k {print $2; exit}'; }

# A pcap of encapsulated frames: $1 file, $2 encapsulation (van|vxlan), outer dst/src MACs, $5 inner
# frame size (bytes, or imix: 64, 594, 1518 in turn).
write_pcap() {
  python3 - "$@" <<'PY'
import struct, sys
out, encap, dst_mac, src_mac, size = sys.argv[1:6]
sizes = [64, 594, 1518] if size == "imix" else [int(size)]
def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF
frames = []
for i in range(63 if size == "imix" else 64):
    n = sizes[i % len(sizes)]
    inner = mac("02:00:00:00:00:99") + mac("52:54:00:00:00:02") + b"\x08\x00"
    ip_in = struct.pack("!BBHHHBBH4s4s", 0x45, 0, n - 14, 0, 0, 64, 17, 0, bytes([10, 0, 0, 2]), bytes([10, 0, 0, 1]))
    inner += ip_in + struct.pack("!HHHH", 1024 + i, 9, n - 34, 0) + b"\0" * (n - 42)
    if encap == "van":
        hdr, port = struct.pack("!BBHII", 0x12, 0, 0, 10, 10), 4797       # FLOOD, VAN 10 -> 10
    else:
        hdr, port = struct.pack("!II", 0x08000000, 10 << 8), 4789           # VXLAN, VNI 10
    udp_len = 8 + len(hdr) + len(inner)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0x4000, 64, 17, 0, bytes([192, 0, 2, 2]), bytes([192, 0, 2, 1]))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", 49152 + i, port, udp_len, 0)
    frames.append(mac(dst_mac) + mac(src_mac) + b"\x08\x00" + ip + udp + hdr + inner)
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for fr in frames:
        f.write(struct.pack("<IIII", 0, 0, len(fr), len(fr)) + fr)
PY
}

# testpmd on CPU 0 with one virtio-user port, in the background: $1 txonly|rxonly, $2 socket,
# $3 ,server=1 or empty, $4 log name, $5 frame size. gen_rate prints its last Rx-pps in Mpps.
generate() {
  local mode=$1 sock=$2 extra=$3 log=$W/gen-$4.log
  (sleep 3; [ "$mode" = txonly ] && perf_txpkts_cmds "$5"; echo "start"; sleep 2; echo "show port stats all"; sleep "$DUR"
   echo "show port stats all"; echo stop; echo quit) | \
  timeout -s INT $((DUR + 20)) stdbuf -oL dpdk-testpmd -l 0,1 --main-lcore=1 --no-pci --single-file-segments \
    --file-prefix=vsorgen -m 128 --log-level='*:notice' --vdev "net_virtio_user0,path=$sock,queues=1$extra" \
    -- --total-num-mbufs=16384 --forward-mode=$mode --eth-peer=0,$REMOTE_VM --no-lsc-interrupt -i >"$log" 2>&1 &
  GEN=$!; PIDS+=($GEN)
}
gen_rate() { grep -a -E "Rx-pps" "$W/gen-$1.log" | tail -1 | awk '{printf "%.3f", $2 / 1e6}'; }
# A counter's rate over DUR seconds, 5 s after the generator started: $1 a command printing the counter.
counter_rate() {
  local t0 t1 s0 s1
  sleep 5; t0=$($1); s0=$(date +%s.%N); sleep "$DUR"; t1=$($1); s1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v x="$s0" -v y="$s1" 'BEGIN {printf "%.3f", (b - a) / (y - x) / 1e6}'
}

# dpdk-testpmd io forwarding in the switch's place, between a vhost-user port and the underlay device $2.
# Interactive, fed through a FIFO, so that 'show port stats' brackets the measured window exactly.
run_testpmd_io() {
  local sc=$1 ul=$2 f log
  for f in $FRAMES; do
    log=$W/tp-$sc-$f.log; rm -f "$W/tp.sock" "$W/tp.in"; mkfifo "$W/tp.in"; exec 7<>"$W/tp.in"
    [ "$sc" = decap ] && { write_pcap "$W/tp.pcap" van 02:70:63:61:70:00 "$PEER_MAC" "$f"; ul="net_pcap0,rx_pcap=$W/tp.pcap,infinite_rx=1,tx_pcap=$W/tp-tx.pcap"; }
    stdbuf -oL dpdk-testpmd -l 0,1 --main-lcore=0 --no-pci --file-prefix=vsortp -m 256 --log-level='*:notice' \
      --vdev "net_vhost0,iface=$W/tp.sock,queues=1" --vdev "$ul" \
      -- --total-num-mbufs=16384 --forward-mode=io --no-lsc-interrupt -i <&7 >"$log" 2>&1 &
    PIDS+=($!); wait_socket "$W/tp.sock" 200; echo start >&7
    if [ "$sc" = encap ]; then
      generate txonly "$W/tp.sock" "" "tp-$sc-$f" "$f"
      sleep 5; echo "show port stats 1" >&7; sleep "$DUR"; echo "show port stats 1" >&7; wait "$GEN"
      perf_record_rate "$sc" testpmd-io "$f" "$(grep -a "Tx-pps" "$log" | tail -1 | awk '{printf "%.3f", $2 / 1e6}')"
    else
      generate rxonly "$W/tp.sock" "" "tp-$sc-$f" "$f"; wait "$GEN"
      perf_record_rate "$sc" testpmd-io "$f" "$(gen_rate "tp-$sc-$f")"
    fi
    echo quit >&7; exec 7>&-
    perf_cleanup
  done
}

start_vanswitch() { # name underlay-devargs extra-underlay-fields
  S=$W/vs.sock; rm -rf "$W/vs-state"
  "$VS_HOME/vanswitch" start --socket "$S" --state-dir "$W/vs-state" --cores 1 --idle spin --eal-prefix vsor_$1 \
    --mem 256 >"$W/vanswitch-$1.log" 2>&1 &
  PIDS+=($!); wait_socket "$S" || { perf_skip "$SC" vanswitch "failed to start: $(tail -1 "$W/vanswitch-$1.log")"; return 1; }
  local reply; reply=$(perf_ctl "$S" "underlay-set	devargs=$2	ip=192.0.2.1/24	mtu=$UL_MTU$3")
  echo "$reply" | grep -q '^ok' || { perf_skip "$SC" vanswitch "underlay-set failed: $(echo "$reply" | field message)"; return 1; }
  perf_ctl "$S" "site-peer-add	ip=192.0.2.2" >/dev/null; perf_ctl "$S" "neigh-add	ip=192.0.2.2	mac=$PEER_MAC" >/dev/null
  perf_ctl "$S" "van-add	id=10" >/dev/null
  perf_ctl "$S" "port-add	name=vh0	van=10	type=vhost-user	target=$W/vs-vh0.sock" >/dev/null
  wait_socket "$W/vs-vh0.sock"
}

pmd_ns() { perf_ctl "$S" stats | awk -F'\t' '/kind=pmd/ {for (i = 1; i <= NF; i++) if ($i ~ /^ns_per_packet=/) print substr($i, 15) " ns/packet processing (run average)"}'; }

run_vanswitch_encap() {
  SC=encap; start_vanswitch encap "net_null_ul0,no-rx=1" "	mac=$UL_MAC" || { perf_cleanup; return; }
  perf_ctl "$S" "fdb-add	van=10	mac=$REMOTE_VM	peer=192.0.2.2" >/dev/null
  local f m
  encapsulated() { perf_ctl "$S" "underlay-show" | field encapsulated; }
  DUR=$PERF_WARM generate txonly "$W/vs-vh0.sock" "" vs-encap-warm 64; wait "$GEN"
  for f in $FRAMES; do
    # the PMD's load in the measured window: whether the switch or the generator sets the rate
    perf_pmd_sample "$S"
    generate txonly "$W/vs-vh0.sock" "" "vs-encap-$f" "$f"
    m=$(counter_rate encapsulated); wait "$GEN"; perf_pmd_sampled
    perf_record_rate encap vanswitch "$f" "$m" "$(pmd_ns); $PERF_PMD_LOAD"
  done
  perf_cleanup
}

run_vanswitch_decap() {
  SC=decap; local f
  for f in $FRAMES; do
    # net_pcap cannot take a MAC; the first pcap device of a process has 02:70:63:61:70:00 ("\x02pcap\x00")
    write_pcap "$W/van.pcap" van 02:70:63:61:70:00 "$PEER_MAC" "$f"
    start_vanswitch "decap" "net_pcap_ul0,rx_pcap=$W/van.pcap,infinite_rx=1,tx_pcap=$W/ul-tx-$f.pcap" "" || { perf_cleanup; return; }
    sleep "$PERF_WARM"   # the replay runs from the start: this decapsulates (and drops) frames untimed
    generate rxonly "$W/vs-vh0.sock" "" "vs-decap-$f" "$f"; wait "$GEN"
    local shown; shown=$(perf_ctl "$S" underlay-show)
    perf_record_rate decap vanswitch "$f" "$(gen_rate "vs-decap-$f")" \
      "$(pmd_ns); not_for_us $(echo "$shown" | field not_for_us), unknown peer $(echo "$shown" | field drop_unknown_peer)"
    perf_cleanup
  done
}

# Open vSwitch with DPDK, VXLAN tunnel port, one PMD on CPU 1: $1 encap|decap, $2 frame size (decap
# builds its pcap for it; encap measures every frame size in one start).
run_ovs() {
  local mode=$1 R=$W/ovs-$1-$2 f
  perf_ovs_installed || { perf_skip "$mode" ovs "$PERF_WHY"; return 1; }
  local NS=vsorovs$$; ip netns add $NS; local IN="ip netns exec $NS"
  local UL="net_null0,no-rx=1"
  rm -rf "$R"; mkdir -p "$R"   # a fresh database and sockets in every round
  if [ "$mode" = decap ]; then write_pcap "$R/vx.pcap" vxlan "$UL_MAC" "$PEER_MAC" "$2"; UL="net_pcap0,rx_pcap=$R/vx.pcap,infinite_rx=1,tx_pcap=$R/ul-tx.pcap"; fi
  perf_start_ovs_daemons "$R" vsorovs $IN || { perf_skip "$mode" ovs "$PERF_WHY"; perf_cleanup; ip netns del $NS; return 1; }
  local V="ovs-vsctl --db=unix:$R/db.sock" A="ovs-appctl -t $R/vsd.ctl"
  $V add-br br-phy -- set bridge br-phy datapath_type=netdev other_config:hwaddr=$UL_MAC
  $V add-port br-phy ul0 -- set Interface ul0 type=dpdk "options:dpdk-devargs=$UL" mtu_request=$UL_MTU
  $IN ip addr add 192.0.2.1/24 dev br-phy; $IN ip link set br-phy up
  $V add-br br-int -- set bridge br-int datapath_type=netdev
  $V add-port br-int vh0 -- set Interface vh0 type=dpdkvhostuserclient options:vhost-server-path="$R/vh0.sock" mtu_request=$UL_MTU
  $V add-port br-int vx0 -- set Interface vx0 type=vxlan options:remote_ip=192.0.2.2 options:key=10
  $A tnl/arp/set br-phy 192.0.2.2 $PEER_MAC >/dev/null
  ovs-ofctl del-flows br-int; ovs-ofctl add-flow br-int "in_port=vh0,actions=output:vx0"; ovs-ofctl add-flow br-int "in_port=vx0,actions=output:vh0"
  ovs-ofctl del-flows br-phy; ovs-ofctl add-flow br-phy actions=NORMAL
  sleep 1
  ul_tx() { ovs-ofctl dump-ports br-phy ul0 | grep -o 'tx pkts=[0-9]*' | cut -d= -f2; }
  if [ "$mode" = decap ]; then
    generate rxonly "$R/vh0.sock" ",server=1" "ovs-decap-$2" "$2"; wait "$GEN"
    perf_record_rate decap ovs "$2" "$(gen_rate "ovs-decap-$2")" "$($A dpif-netdev/pmd-stats-show 2>&1 | grep -E "avg processing cycles per packet" | sed 's/^ *//' | head -1)"
  else
    for f in $FRAMES; do
      $A dpif-netdev/pmd-stats-clear >/dev/null 2>&1
      generate txonly "$R/vh0.sock" ",server=1" "ovs-encap-$f" "$f"
      local m; m=$(counter_rate ul_tx); wait "$GEN"
      perf_record_rate encap ovs "$f" "$m" "$($A dpif-netdev/pmd-stats-show 2>&1 | grep -E "avg processing cycles per packet" | sed 's/^ *//' | head -1)"
    done
  fi
  perf_cleanup; ip netns del $NS 2>/dev/null
}

SCENARIOS=${SCENARIOS:-encap decap}
for sc in $SCENARIOS; do
  case $sc in
    encap) perf_scenario encap "Encapsulation: vhost-user -> VAN -> underlay (net_null sink)" "inner frame size (bytes)" \
             "switch: 1 PMD on CPU 1; generator: CPU 0" \
             "dpdk-testpmd txonly into a vhost-user port; the underlay's tx rate over $DUR s; vanswitch: VAN header over UDP 4797; OVS: VXLAN; testpmd-io: io forwarding, no encapsulation; $MODE mode" ;;
    decap) perf_scenario decap "Decapsulation: underlay (net_pcap replay) -> VAN -> vhost-user" "inner frame size (bytes)" \
             "switch: 1 PMD on CPU 1; sink: CPU 0" \
             "underlay net_pcap replays pre-built encapsulated frames (infinite_rx); dpdk-testpmd rxonly's rate over $DUR s; vanswitch: VAN FLOOD frames from a site peer; OVS: VXLAN; testpmd-io: io forwarding, no decapsulation; $MODE mode" ;;
    *) vs_die "perf: unknown overlay scenario $sc (encap, decap)" ;;
  esac
  perf_rounds_begin
  for round in $(seq 1 "$PERF_ROUNDS"); do
    for s in ${SWITCHES:-testpmd-io vanswitch ovs}; do
      case $s/$sc in
        testpmd-io/encap) run_testpmd_io encap "net_null0,no-rx=1" ;;
        testpmd-io/decap) run_testpmd_io decap "" ;;
        vanswitch/*) run_vanswitch_$sc ;;
        ovs/encap) run_ovs encap all ;;
        ovs/decap) for f in $FRAMES; do run_ovs decap "$f" || break; done ;;
      esac
    done
  done
  perf_rounds_end
done
[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
