#!/usr/bin/env bash
# Overlay packet rates on one PMD core, side by side in one run (docs/performance.md).
#   encap: dpdk-testpmd txonly (CPU 0, virtio-user, 64-byte frames to one remote MAC) -> vhost-user
#          -> VAN encapsulation -> underlay net_null (sink). Figure: the underlay's tx rate.
#   decap: underlay net_pcap replaying pre-built encapsulated frames (infinite_rx) -> decapsulation
#          -> vhost-user -> dpdk-testpmd rxonly. Figure: testpmd's rx rate.
# Switches: vanswitch (VAN header over UDP 4797; a static remote route for encap, FLOOD frames from
# a site peer for decap) and, when installed, Open vSwitch with DPDK tunnelling VXLAN (the method of
# ../shared/reference/ovs_vxlan.sh). Each switch runs one PMD on CPU 1.
#   perf/overlay-rate.sh [--quick]      DUR=10 (--quick: 3); RESULTS=dir for the report
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
DUR=${DUR:-10}
[ "${1:-}" = --quick ] && DUR=${QUICK_DUR:-3}
[ "$(id -u)" = 0 ] || vs_die "perf: run as root"
command -v dpdk-testpmd >/dev/null || vs_die "perf: dpdk-testpmd missing: apt-get install dpdk-dev"
vs_ensure_built
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$VS_HOME/perf/results/overlay-rate-$STAMP}
W=$(mktemp -d /tmp/vs-orate.XXXXXX); mkdir -p "$RESULTS"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; sleep 1
            for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; PIDS=(); rm -f /dev/hugepages/vsorovs* /dev/hugepages/vsorgen*; }
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
declare -A MPPS NOTE
UL_MAC=02:00:00:00:01:01; PEER_MAC=02:00:00:00:02:02; VM_MAC=52:54:00:00:00:01; REMOTE_VM=52:54:00:00:00:02

field() { tr '\t' '\n' | awk -F= -v k="$1" '$1 == k {print $2; exit}'; }

# A pcap of 64 encapsulated frames: $1 file, $2 encapsulation (van|vxlan), outer src/dst MACs, IPs.
write_pcap() {
  python3 - "$@" <<'PY'
import struct, sys
out, encap, dst_mac, src_mac = sys.argv[1:5]
def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF
frames = []
for i in range(64):
    inner = mac("02:00:00:00:00:99") + mac("52:54:00:00:00:02") + b"\x08\x00"
    ip_in = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 46, 0, 0, 64, 17, 0, bytes([10, 0, 0, 2]), bytes([10, 0, 0, 1]))
    inner += ip_in + struct.pack("!HHHH", 1024 + i, 9, 26, 0) + b"\0" * 18
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

# testpmd on CPU 0 with one virtio-user port; prints its Rx-pps after DUR (rxonly) or nothing (txonly).
generate() {
  local mode=$1 sock=$2 extra=$3 log=$W/gen-$4.log
  (sleep 3; echo "start"; sleep 2; echo "show port stats all"; sleep "$DUR"; echo "show port stats all"; echo stop; echo quit) | \
  timeout -s INT $((DUR + 20)) stdbuf -oL dpdk-testpmd -l 0,1 --main-lcore=1 --no-pci --single-file-segments \
    --file-prefix=vsorgen -m 128 --log-level='*:notice' --vdev "net_virtio_user0,path=$sock,queues=1$extra" \
    -- --total-num-mbufs=16384 --forward-mode=$mode --eth-peer=0,$REMOTE_VM --txpkts=64 --no-lsc-interrupt -i >"$log" 2>&1 &
  PIDS+=($!)
}

start_vanswitch() {
  S=$W/vs.sock; rm -rf "$W/vs-state"
  "$VS_HOME/vanswitch" start --socket "$S" --state-dir "$W/vs-state" --cores 1 --idle spin --eal-prefix vsor \
    --mem 256 >"$W/vanswitch-$1.log" 2>&1 &
  PIDS+=($!); wait_socket "$S" || { cat "$W/vanswitch-$1.log"; return 1; }
  local reply; reply=$(perf_ctl "$S" "underlay-set	devargs=$2	ip=192.0.2.1/24$3")
  echo "$reply" | grep -q '^ok' || { NOTE[vanswitch-$1]="underlay-set failed: $(echo "$reply" | field message)"; return 1; }
  perf_ctl "$S" "site-peer-add	ip=192.0.2.2" >/dev/null; perf_ctl "$S" "neigh-add	ip=192.0.2.2	mac=$PEER_MAC" >/dev/null
  perf_ctl "$S" "van-add	id=10" >/dev/null
  perf_ctl "$S" "port-add	name=vh0	van=10	type=vhost-user	target=$W/vs-vh0.sock" >/dev/null
  sleep 2
}

run_vanswitch_encap() {
  start_vanswitch encap "net_null_ul0,no-rx=1" "	mac=$UL_MAC" || { cleanup; return; }
  perf_ctl "$S" "fdb-add	van=10	mac=$REMOTE_VM	peer=192.0.2.2" >/dev/null
  generate txonly "$W/vs-vh0.sock" "" vs-encap
  sleep 5
  local t0 t1 s0 s1
  t0=$(perf_ctl "$S" "underlay-show" | field encapsulated); s0=$(date +%s.%N)
  sleep "$DUR"
  t1=$(perf_ctl "$S" "underlay-show" | field encapsulated); s1=$(date +%s.%N)
  MPPS[vanswitch-encap]=$(awk -v a="$t0" -v b="$t1" -v x="$s0" -v y="$s1" 'BEGIN {printf "%.3f", (b - a) / (y - x) / 1e6}')
  NOTE[vanswitch-encap]="$(perf_ctl "$S" stats | awk -F'\t' '/kind=pmd/ {for (i = 1; i <= NF; i++) if ($i ~ /^ns_per_packet=/) print substr($i, 15) " ns/packet processing (run average)"}')"
  sleep 5; cleanup
}

run_vanswitch_decap() {
  # net_pcap cannot take a MAC; the first pcap device of a process has 02:70:63:61:70:00 ("\x02pcap\x00")
  write_pcap "$W/van.pcap" van 02:70:63:61:70:00 "$PEER_MAC"
  start_vanswitch decap "net_pcap_ul0,rx_pcap=$W/van.pcap,tx_pcap=$W/ul-tx.pcap,infinite_rx=1" "" || { cleanup; return; }
  generate rxonly "$W/vs-vh0.sock" "" vs-decap
  sleep $((DUR + 8))
  MPPS[vanswitch-decap]=$(grep -a -E "Rx-pps" "$W/gen-vs-decap.log" | tail -1 | awk '{printf "%.3f", $2 / 1e6}')
  local shown; shown=$(perf_ctl "$S" underlay-show)
  NOTE[vanswitch-decap]="underlay MAC $(echo "$shown" | field mac), not_for_us $(echo "$shown" | field not_for_us), unknown peer $(echo "$shown" | field drop_unknown_peer)"
  cleanup
}

run_ovs() {
  local mode=$1 VSD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk R=$W/ovs-$1
  if [ ! -x $VSD ] || ! command -v ovsdb-tool >/dev/null; then
    NOTE[ovs-$mode]="skipped: Open vSwitch with DPDK not installed (apt-get install openvswitch-switch-dpdk)"; return
  fi
  mkdir -p "$R"; local NS=vsorovs$$; ip netns add $NS; local IN="ip netns exec $NS"
  export OVS_RUNDIR=$R OVS_LOGDIR=$R OVS_DBDIR=$R
  local UL="net_null0,no-rx=1"
  if [ "$mode" = decap ]; then write_pcap "$R/vx.pcap" vxlan "$UL_MAC" "$PEER_MAC"; UL="net_pcap0,rx_pcap=$R/vx.pcap,tx_pcap=$R/ul-tx.pcap,infinite_rx=1"; fi
  ovsdb-tool create "$R/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  $IN ovsdb-server "$R/conf.db" --remote=punix:"$R/db.sock" --pidfile="$R/ovsdb.pid" --log-file="$R/ovsdb.log" --unixctl="$R/ovsdb.ctl" >/dev/null 2>&1 &
  PIDS+=($!); wait_socket "$R/db.sock"
  local V="ovs-vsctl --db=unix:$R/db.sock" A="ovs-appctl -t $R/vsd.ctl"
  $V --no-wait init
  $V --no-wait set Open_vSwitch . other_config:dpdk-init=true other_config:dpdk-lcore-mask=0x2 other_config:pmd-cpu-mask=0x2 \
     other_config:dpdk-socket-mem=256 other_config:dpdk-socket-limit=512 other_config:dpdk-extra="--no-pci --file-prefix=vsorovs"
  $IN $VSD unix:"$R/db.sock" --pidfile="$R/vsd.pid" --log-file="$R/vsd.log" --unixctl="$R/vsd.ctl" >/dev/null 2>&1 &
  PIDS+=($!); wait_socket "$R/vsd.ctl"
  $V add-br br-phy -- set bridge br-phy datapath_type=netdev other_config:hwaddr=$UL_MAC
  $V add-port br-phy ul0 -- set Interface ul0 type=dpdk "options:dpdk-devargs=$UL"
  $IN ip addr add 192.0.2.1/24 dev br-phy; $IN ip link set br-phy up
  $V add-br br-int -- set bridge br-int datapath_type=netdev
  $V add-port br-int vh0 -- set Interface vh0 type=dpdkvhostuserclient options:vhost-server-path="$R/vh0.sock"
  $V add-port br-int vx0 -- set Interface vx0 type=vxlan options:remote_ip=192.0.2.2 options:key=10
  $A tnl/arp/set br-phy 192.0.2.2 $PEER_MAC >/dev/null
  ovs-ofctl del-flows br-int; ovs-ofctl add-flow br-int "in_port=vh0,actions=output:vx0"; ovs-ofctl add-flow br-int "in_port=vx0,actions=output:vh0"
  ovs-ofctl del-flows br-phy; ovs-ofctl add-flow br-phy actions=NORMAL
  sleep 1
  if [ "$mode" = decap ]; then generate rxonly "$R/vh0.sock" ",server=1" ovs-decap; else generate txonly "$R/vh0.sock" ",server=1" ovs-encap; fi
  sleep 5
  ul_tx() { ovs-ofctl dump-ports br-phy ul0 | grep -o 'tx pkts=[0-9]*' | cut -d= -f2; }
  local t0 t1 s0 s1
  t0=$(ul_tx); s0=$(date +%s.%N); sleep "$DUR"; t1=$(ul_tx); s1=$(date +%s.%N)
  sleep 4
  if [ "$mode" = decap ]; then
    MPPS[ovs-decap]=$(grep -a -E "Rx-pps" "$W/gen-ovs-decap.log" | tail -1 | awk '{printf "%.3f", $2 / 1e6}')
  else
    MPPS[ovs-encap]=$(awk -v a="$t0" -v b="$t1" -v x="$s0" -v y="$s1" 'BEGIN {printf "%.3f", (b - a) / (y - x) / 1e6}')
  fi
  NOTE[ovs-$mode]=$($A dpif-netdev/pmd-stats-show 2>&1 | grep -E "avg processing cycles per packet" | sed 's/^ *//' | head -1)
  cleanup; ip netns del $NS 2>/dev/null
}

for s in ${SCENARIOS:-vanswitch_encap ovs_encap vanswitch_decap ovs_decap}; do
  case $s in ovs_encap) run_ovs encap ;; ovs_decap) run_ovs decap ;; *) run_$s ;; esac
done

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
  echo "# Overlay packet rates (one PMD core), $STAMP"
  echo
  echo "Machine: $(nproc) CPUs, $CPU. Generator/sink: dpdk-testpmd on CPU 0; switch PMD on CPU 1; 64-byte inner frames; $DUR s."
  echo "Command: perf/overlay-rate.sh$([ "$DUR" = "${QUICK_DUR:-3}" ] && echo ' --quick')"
  echo
  echo "| scenario | vanswitch Mpps | OVS (VXLAN) Mpps | vanswitch / OVS | notes |"
  echo "|---|---|---|---|---|"
  for m in encap decap; do
    v=${MPPS[vanswitch-$m]:-}; o=${MPPS[ovs-$m]:-}
    r=$( [ -n "$v" ] && [ -n "$o" ] && awk -v a="$v" -v b="$o" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}' || echo -)
    echo "| $m | ${v:--} | ${o:--} | $r | vanswitch: ${NOTE[vanswitch-$m]:-}; OVS: ${NOTE[ovs-$m]:-} |"
  done
} | tee "$RESULTS/report.md"
{
  printf '{"scenario":"overlay-rate","date":"%s","cpus":%s,"cpu_model":"%s","duration_s":%s,"mpps":{' "$STAMP" "$(nproc)" "$CPU" "$DUR"
  first=1; for k in vanswitch-encap ovs-encap vanswitch-decap ovs-decap; do
    [ -n "${MPPS[$k]:-}" ] || continue; [ $first = 1 ] || printf ','; first=0; printf '"%s":%s' "$k" "${MPPS[$k]}"; done
  printf '}}\n'
} > "$RESULTS/report.json"
