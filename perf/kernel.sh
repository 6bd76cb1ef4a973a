#!/usr/bin/env bash
# Kernel endpoints through four switching paths, side by side in one run (docs/performance.md; the
# paper's experiment, its Fig. 8 and Table II). Every endpoint is a network namespace (vsk-e1 sends,
# vsk-e2 receives; 172.31.77.1 and .2, MTU 1500); the paths are
#   linux-bridge      veth pairs into a Linux bridge in a host namespace (vsk-h1);
#   kernel-vxlan      two host namespaces joined by an underlay veth (MTU 1600), a VXLAN device
#                     (VNI 10) per host bridged with the endpoint's veth;
#   vanswitch         one daemon in vsk-h1, two TAP ports on one VAN, each TAP moved into an
#                     endpoint namespace; its PMD pinned to CPU 1 (--cores 1);
#   vanswitch-veth    the same daemon with veth ports instead (port-add type=veth): the switch reads
#                     and writes its side of each pair through AF_PACKET rings with a vnet header,
#                     so TCP segments of up to 64 KiB cross it whole (the endpoint keeps TSO);
#   vanswitch-2hosts  one daemon per host namespace, underlay on net_af_packet over the underlay
#                     veth, a TAP endpoint per host; one PMD each, host 1 on CPU 0, host 2 on CPU 1;
#   vanswitch-2hosts-veth  the same with a veth port per host instead of the TAP.
#   vanswitch-veth-fastpath  vanswitch-veth with --kernel-fast-path: flows the switch learned between
#                     its veth ports are forwarded by the kernel (tc rules the switch installs).
# Figures (results files of perf/lib.sh, and report.md):
#   kernel-tcp   iperf3 TCP throughput per message size (-l; x = bytes; metric tcp_gbps);
#   kernel-ping  ping min/avg/max/mdev (x = "ping"; COUNT pings at INTERVAL s);
#   kernel-pps   forwarding rate of 64-byte frames, Linux bridge and vanswitch on one host, counted
#                at the receiving endpoint's interface: sent by the kernel's pktgen when the module
#                loads, else by iperf3 UDP with 18-byte payloads (then bounded by the endpoints).
#   perf/kernel.sh [--quick]   full: sizes 64..65536, DUR=5 s each (+1 s omitted), ROUNDS=5 interleaved
#                              rounds of every path (TCP in each, the mean recorded; ping and pps in
#                              the first), COUNT=200 pings at 10 ms; --quick: sizes 64 and 65536,
#                              DUR=1, one round, COUNT=20. RESULTS=dir
#   PATHS="kernel-vxlan vanswitch-2hosts" and IDLE=spin|backoff select paths and the PMD idle strategy.
# The PMDs park when idle (--idle backoff) by default: on this 2-CPU machine spinning PMDs starve the
# kernel endpoints (measured both, docs/performance.md: average ping 0.4-3.6 ms on one host and
# 1.2-6.3 ms on two spinning, 1.0-1.1 and 2.2-2.5 ms with backoff; TCP the same within the noise).
# One run at a time: the namespaces have fixed names (vsk-*).
# Needs root, iproute2, ping, iperf3 (installs nothing: a missing tool is reported as skipped) and,
# for the vanswitch paths, 512 MB of free hugepages.
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
QUICK=; [ "${1:-}" = --quick ] && QUICK=1
if [ -n "$QUICK" ]; then SIZES=${SIZES:-64 65536}; DUR=${DUR:-1}; OMIT=0; COUNT=${COUNT:-20}; ROUNDS=${ROUNDS:-1}
else SIZES=${SIZES:-64 256 1024 4096 16384 65536}; DUR=${DUR:-5}; OMIT=1; COUNT=${COUNT:-200}; ROUNDS=${ROUNDS:-5}; fi
INTERVAL=${INTERVAL:-0.01}; PPS_WIN=$([ -n "$QUICK" ] && echo 1 || echo 5)
PATHS=${PATHS:-linux-bridge kernel-vxlan vanswitch vanswitch-veth vanswitch-veth-fastpath vanswitch-2hosts vanswitch-2hosts-veth}
IDLE=${IDLE:-backoff}
[ "$(id -u)" = 0 ] || vs_die "perf: run as root (namespaces, hugepages)"
case " $PATHS " in *" vanswitch"*) vs_ensure_built ;; esac
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$VS_HOME/perf/results/kernel-$STAMP}
W=$(mktemp -d /tmp/vs-kernel.XXXXXX); mkdir -p "$RESULTS"
vs_find_jdk; perf_machine "perf/kernel.sh${QUICK:+ --quick}"   # (under perf/run, its own machine block stands)
NSS="vsk-e1 vsk-e2 vsk-h1 vsk-h2"
IP1=172.31.77.1; IP2=172.31.77.2; MAC1=02:00:00:77:00:01; MAC2=02:00:00:77:00:02
PIDS=(); SKIPPED=(); FAILED=(); declare -A DAEMON NOTES

# skipped: a tool is missing (reported, exit status 0); failed: a path or measurement broke (status 1)
skip() { SKIPPED+=("$*"); echo "perf: SKIPPED: $*" >&2; }
fail() { FAILED+=("$*"); echo "perf: FAILED: $*" >&2; }

# Stops what this script started (by process id), then the namespaces; on every exit.
cleanup() {
  local p n
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for _ in $(seq 50); do
    n=0; for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && n=1; done
    [ $n = 0 ] && break; sleep 0.1
  done
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  PIDS=(); DAEMON=()
  for n in $NSS; do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$n" 2>/dev/null
  done
  rm -f /dev/hugepages/vsk-* 2>/dev/null
}
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM
cleanup

# --- topology -------------------------------------------------------------------------------------

ns_add() {
  ip netns add "$1" || return 1
  ip -n "$1" link set lo up
  ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# $1: endpoint number; the interface vsk$1 is already in vsk-e$1
endpoint_up() {
  local e=vsk-e$1 mac=MAC$1 ip=IP$1
  ip -n $e link set vsk$1 address "${!mac}" mtu 1500
  ip -n $e addr add "${!ip}/24" dev vsk$1
  ip -n $e link set vsk$1 up
}

# a veth from host namespace $1 (vskp$2) to endpoint $2 (vsk$2 in vsk-e$2), the host side on bridge $3
veth_endpoint() {
  ip -n "$1" link add vskp$2 type veth peer name vsk$2 netns vsk-e$2
  ip -n "$1" link set vskp$2 master "$3" up
  endpoint_up "$2"
}

# two host namespaces joined by a veth (ul1 in vsk-h1, ul2 in vsk-h2), MTU 1600: a 1500-byte tenant
# frame and its encapsulation (VXLAN 50 bytes, the VAN header 54) fit without fragmentation
underlay() {
  ns_add vsk-h1 && ns_add vsk-h2 || return 1
  ip -n vsk-h1 link add ul1 mtu 1600 type veth peer name ul2 mtu 1600 netns vsk-h2
  ip -n vsk-h1 link set ul1 up; ip -n vsk-h2 link set ul2 up
}

setup_linux_bridge() {
  ns_add vsk-h1 && ns_add vsk-e1 && ns_add vsk-e2 || return 1
  ip -n vsk-h1 link add br0 type bridge; ip -n vsk-h1 link set br0 up
  veth_endpoint vsk-h1 1 br0; veth_endpoint vsk-h1 2 br0
}

setup_kernel_vxlan() {
  underlay && ns_add vsk-e1 && ns_add vsk-e2 || return 1
  local h N
  for h in 1 2; do
    N="ip -n vsk-h$h"
    $N addr add 10.77.0.$h/24 dev ul$h
    $N link add vx10 mtu 1500 type vxlan id 10 dstport 4789 local 10.77.0.$h remote 10.77.0.$((3 - h)) dev ul$h nolearning
    $N link add br10 type bridge; $N link set vx10 master br10 up; $N link set br10 up
    veth_endpoint vsk-h$h $h br10
    # nolearning and a static flooding entry: the kernel floods to its one peer
    ip netns exec vsk-h$h bridge fdb append 00:00:00:00:00:00 dev vx10 dst 10.77.0.$((3 - h))
  done
}

# $1 host number, $2 PMD core, $3.. more options; the daemon runs inside vsk-h$1 and creates its TAPs there
start_vanswitch() {
  local S=$W/h$1.sock; rm -rf "$W/h$1"
  ip netns exec vsk-h$1 "$VS_HOME/vanswitch" start --socket "$S" --state-dir "$W/h$1" --cores "$2" --idle "$IDLE" \
    --eal-prefix vsk-h$1 --mem 256 "${@:3}" >"$W/vanswitch-h$1.log" 2>&1 &
  PIDS+=($!); DAEMON[$1]=$!
}

# $1 host number; sends control requests $2.. and fails on the first error reply
ctl() {
  local h=$1 reply; shift
  for req in "$@"; do
    reply=$(perf_ctl "$W/h$h.sock" "$req")
    case "$reply" in *"error	"*|"") echo "perf: vanswitch h$h: '$req' failed: $reply" >&2; return 1 ;; esac
  done
}

# $1 host number, $2 endpoint number: a TAP port vsk$2 on VAN $3, moved into vsk-e$2
tap_endpoint() {
  ctl "$1" "port-add	name=t$2	van=$3	type=tap	target=vsk$2" || return 1
  for _ in $(seq 50); do ip -n vsk-h$1 link show vsk$2 >/dev/null 2>&1 && break; sleep 0.1; done
  ip -n vsk-h$1 link set vsk$2 netns vsk-e$2 || return 1
  endpoint_up "$2"
}

# waits up to 30 s for each daemon's control socket, giving up when the daemon has exited
wait_daemons() {
  local h
  for h in "$@"; do
    for _ in $(seq 300); do [ -S "$W/h$h.sock" ] || ! kill -0 "${DAEMON[$h]}" 2>/dev/null && break; sleep 0.1; done
    [ -S "$W/h$h.sock" ] || { echo "perf: vanswitch h$h did not start:" >&2; tail -20 "$W/vanswitch-h$h.log" >&2; return 1; }
  done
}

setup_vanswitch() {
  ns_add vsk-h1 && ns_add vsk-e1 && ns_add vsk-e2 || return 1
  start_vanswitch 1 1; wait_daemons 1 || return 1
  ctl 1 "van-add	id=1" && tap_endpoint 1 1 1 && tap_endpoint 1 2 1
}

# $1 host number, $2 endpoint number, $3 VAN: a veth port v$2, its endpoint's side vsk$2 moved into
# vsk-e$2 (the daemon makes the pair and keeps the endpoint's offloads: docs/operations.md)
veth_port_endpoint() {
  ctl "$1" "port-add	name=v$2	van=$3	type=veth	target=vsk$2" || return 1
  ip -n vsk-h$1 link set vsk$2 netns vsk-e$2 || return 1
  endpoint_up "$2"
}

setup_vanswitch_veth() {
  ns_add vsk-h1 && ns_add vsk-e1 && ns_add vsk-e2 || return 1
  start_vanswitch 1 1 "$@"; wait_daemons 1 || return 1
  ctl 1 "van-add	id=1" && veth_port_endpoint 1 1 1 && veth_port_endpoint 1 2 1
}
setup_vanswitch_veth_fastpath() { setup_vanswitch_veth --kernel-fast-path; }

# $1 tap_endpoint or veth_port_endpoint: how each host attaches its endpoint
two_hosts() {
  underlay && ns_add vsk-e1 && ns_add vsk-e2 || return 1
  start_vanswitch 1 0; start_vanswitch 2 1; wait_daemons 1 2 || return 1
  local h
  for h in 1 2; do
    ctl $h "underlay-set	devargs=net_af_packet_vsk,iface=ul$h	ip=10.77.0.$h/24	mtu=1600" "site-peer-add	ip=10.77.0.$((3 - h))" \
      "van-add	id=10" || return 1
    "$1" $h $h 10 || return 1
  done
}
setup_vanswitch_2hosts() { two_hosts tap_endpoint; }
setup_vanswitch_2hosts_veth() { two_hosts veth_port_endpoint; }

# --- measurements ---------------------------------------------------------------------------------

in1() { ip netns exec vsk-e1 "$@"; }

# the endpoint interfaces' offload state, for the notes: TCP through a path that cannot carry
# 64 KB segments (TSO/GSO off) pays per-MTU-packet costs
offloads() {
  local e state
  for e in 1 2; do
    state=$(ip netns exec vsk-e$e ethtool -k vsk$e 2>/dev/null | awk -F': ' '
      /^[ \t]*tx-tcp-segmentation:/ {t=$2} /^generic-segmentation-offload/ {g=$2}
      /^generic-receive-offload/ {r=$2} /^tx-checksumming/ {c=$2}
      END {sub(/ .*/, "", t); sub(/ .*/, "", g); sub(/ .*/, "", r); sub(/ .*/, "", c);
           printf "tso %s, gso %s, tx-csum %s, gro %s", t, g, c, r}')
    printf '%s%s %s: %s' "$([ $e = 2 ] && echo '; ')" "vsk$e" "$(ip netns exec vsk-e$e ethtool -i vsk$e 2>/dev/null | awk '/^driver/ {print $2}')" "${state:-ethtool -k failed}"
  done
}

connected() {
  for _ in $(seq 15); do in1 ping -c 1 -W 1 -q $IP2 >/dev/null 2>&1 && return 0; done
  return 1
}

measure_ping() {
  local out
  out=$(in1 timeout $((COUNT / 10 + 30)) ping -q -i "$INTERVAL" -c "$COUNT" $IP2 2>&1)
  local rtt; rtt=$(echo "$out" | awk -F'[ =/]+' '/^rtt/ {print $6, $7, $8, $9}')
  if [ -z "$rtt" ]; then fail "kernel-ping $1: ping failed: $(echo "$out" | tail -2 | tr '\n' ' ')"; return; fi
  local loss; loss=$(echo "$out" | grep -o '[0-9.]*% packet loss')
  set -- "$1" $rtt
  perf_record kernel-ping "$1" ping rtt_min_ms "$2" "$COUNT pings at ${INTERVAL}s, $loss"
  perf_record kernel-ping "$1" ping rtt_avg_ms "$3"
  perf_record kernel-ping "$1" ping rtt_max_ms "$4"
  perf_record kernel-ping "$1" ping rtt_mdev_ms "$5"
}

# the receiver's rate in Gbit/s and its bytes from iperf3's JSON output ($1), or its error
iperf_json() {
  python3 -c 'import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("error: no JSON output"); sys.exit()
if "error" in d: print("error: " + d["error"]); sys.exit()
r = d["end"]["sum_received"]
print("%.3f %d" % (r["bits_per_second"] / 1e9, r["bytes"]))' "$1"
}

# TCP segments endpoint 2 has received (InSegs of its namespace's /proc/net/snmp)
in_segs() { ip netns exec vsk-e2 awk '/^Tcp:/ && $11 ~ /^[0-9]+$/ {print $11}' /proc/net/snmp; }

# CPU time so far in clock ticks: the machine's busy and idle (all CPUs), and the vanswitch daemons'
# processes (0 for a path without them): what a path costs beside the endpoints' own work
cpu_ticks() {
  local p d=0
  for p in "${DAEMON[@]}"; do
    [ -r "/proc/$p/stat" ] && d=$(( d + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  awk -v d=$d '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6, d}' /proc/stat
}

# CPUs in use between two cpu_ticks samples ($1..$3, $4..$6): "machine vanswitch", e.g. "1.97 0.41"
cpus_busy() {
  awk -v n="$(nproc)" -v b0="$1" -v i0="$2" -v d0="$3" -v b1="$4" -v i1="$5" -v d1="$6" 'BEGIN {
    wall = (b1 - b0 + i1 - i0) / n; if (wall <= 0) { print "- -"; exit }
    printf "%.2f %.2f\n", (b1 - b0) / wall, (d1 - d0) / wall }'
}

# One connection per size: its rate, the receiver's average segment in bytes and the CPUs busy, to
# $W/tcp-rounds.tsv
measure_tcp() {
  local path=$1 size j v segs t0 cpus
  for size in $SIZES; do
    j=$W/tcp-$path-$size.json
    segs=$(in_segs); t0=$(cpu_ticks)
    in1 timeout $((DUR + OMIT + 20)) iperf3 -c $IP2 -t "$DUR" -O "$OMIT" -l "$size" --connect-timeout 3000 -J >"$j" 2>&1
    set -- $t0 $(cpu_ticks)
    cpus=$(cpus_busy "$@")
    v=$(iperf_json "$j")
    case "$v" in error*) fail "kernel-tcp $path ${size} B: iperf3 $v"; continue ;; esac
    set -- $v $cpus
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$path" "$size" "$1" "$(( $2 / ($(in_segs) - segs + 1) ))" "$3" "$4" >> "$W/tcp-rounds.tsv"
  done
}

# Records each path's and size's TCP rate over the rounds: the mean of the connections, with each
# connection's rate, average segment and CPUs busy in the note. A connection settles into one of two
# regimes and keeps it to its end, whatever the path (docs/performance.md: at 256 B about 600-byte
# segments and 0.22-0.32 Gbit/s, or 15-40 KB segments and 0.52-0.55): the mean over connections is
# what a path delivers, one connection is a draw.
record_tcp_rounds() {
  [ -f "$W/tcp-rounds.tsv" ] || return 0
  local path size rate note
  while IFS=$'\t' read -r path size rate note; do
    perf_record kernel-tcp "$path" "$size" tcp_gbps "$rate" "$note; ${NOTES[$path]:-}"
  done < <(python3 - "$W/tcp-rounds.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    path, size, rate, seg, machine, daemons = line.rstrip("\n").split("\t")
    rows.setdefault((path, int(size)), []).append((float(rate), int(seg), machine, daemons))
for (path, size), runs in rows.items():
    mean = sum(r[0] for r in runs) / len(runs)
    each = ", ".join("%.3f (%d B; %s, %s)" % r for r in runs)
    head = "one connection" if len(runs) == 1 else "mean of %d connections in interleaved rounds" % len(runs)
    print("\t".join([path, str(size), "%.3f" % mean, "%s: Gbit/s (receiver's average segment; CPUs busy: the machine's, "
                      "vanswitch's) %s" % (head, each)]))
PY
)
}

rx_packets() { ip netns exec vsk-e$1 cat /sys/class/net/vsk$1/statistics/$2; }

# pktgen on vsk1 inside vsk-e1: 60-byte packets (64 on the wire) to endpoint 2; returns 1 when the
# module is not there
pktgen_start() {
  modprobe pktgen 2>/dev/null
  in1 test -w /proc/net/pktgen/kpktgend_0 || return 1
  in1 sh -c "echo rem_device_all > /proc/net/pktgen/kpktgend_0 && echo add_device vsk1 > /proc/net/pktgen/kpktgend_0 &&
    for c in 'count 0' 'clone_skb 0' 'pkt_size 60' 'delay 0' 'dst $IP2' 'dst_mac $MAC2' 'udp_dst_min 9' 'udp_dst_max 9'; do
      echo \"\$c\" > /proc/net/pktgen/vsk1 || exit 1; done" || return 1
  in1 sh -c 'echo start > /proc/net/pktgen/pgctrl' 2>/dev/null &
  PKTGEN=$!; PIDS+=($PKTGEN)
}
pktgen_stop() {
  in1 sh -c 'echo stop > /proc/net/pktgen/pgctrl; echo rem_device_all > /proc/net/pktgen/kpktgend_0' 2>/dev/null
  wait "$PKTGEN" 2>/dev/null
}

# 64-byte frames from endpoint 1 to endpoint 2, counted at vsk2's receive counter over PPS_WIN s
measure_pps() {
  local path=$1 how pid rx0 tx0 t0 rx1 tx1 t1 window=$PPS_WIN
  if pktgen_start; then how=pktgen
  elif command -v iperf3 >/dev/null; then
    echo "perf: kernel-pps $path: no pktgen (module missing or refused vsk1): iperf3 UDP instead, bounded by the endpoints" >&2
    how=iperf3; in1 timeout $((window + 20)) iperf3 -c $IP2 -u -b 0 -l 18 -t $((window + 2)) --connect-timeout 3000 >"$W/pps-$path.log" 2>&1 &
    pid=$!
  else skip "kernel-pps $path: no pktgen module and no iperf3"; return; fi
  sleep 1
  rx0=$(rx_packets 2 rx_packets); tx0=$(rx_packets 1 tx_packets); t0=$(date +%s.%N)
  sleep "$window"
  rx1=$(rx_packets 2 rx_packets); tx1=$(rx_packets 1 tx_packets); t1=$(date +%s.%N)
  if [ $how = pktgen ]; then pktgen_stop; else wait "$pid"; fi
  local rate offered
  rate=$(awk -v a="$rx0" -v b="$rx1" -v x="$t0" -v y="$t1" 'BEGIN {printf "%.3f", (b - a) / (y - x) / 1e6}')
  offered=$(awk -v a="$tx0" -v b="$tx1" -v x="$t0" -v y="$t1" 'BEGIN {printf "%.3f", (b - a) / (y - x) / 1e6}')
  local note="sent by $how; the sender offered $offered Mpps"
  [ $how = iperf3 ] && note="$note (iperf3 UDP, 18-byte payloads: the kernel's pktgen is not available, so the figure is bounded by the endpoints)"
  perf_record kernel-pps "$path" 64 mpps "$rate" "$note"
}

# vanswitch's own view after the measurements, for report.md: its counters that are not zero
# (drops, the PMDs' load, the underlay's); $1.. host numbers, with the underlay when there are two
vanswitch_counters() {
  local h
  for h in "$@"; do
    echo "vanswitch h$h:"
    { perf_ctl "$W/h$h.sock" stats | grep -E 'kind=(port|pmd)'; [ $# = 1 ] || perf_ctl "$W/h$h.sock" underlay-show | grep -v '^ok'; } |
      awk -F'\t' '{ line = ""; for (i = 2; i <= NF; i++)
        if ($i ~ /^(kind|name|cpu|devargs)=/ || ($i ~ /^(rx_|tx_|drop_|kernel_|busy_pct|ns_per_packet|encapsulated|decapsulated|not_for_us|malformed|other)/ && $i !~ /=0(\.0)?$/))
          line = line " " $i
        print "  " line }'
  done
}

run_path() {
  local path=$1 fn=setup_${1//-/_}
  echo "perf: $path ..." >&2
  if ! $fn; then fail "$path: setup failed (see the messages above)"; cleanup; return; fi
  if ! connected; then fail "$path: no connectivity between the endpoints"; cleanup; return; fi
  [ -n "${NOTES[$path]:-}" ] || NOTES[$path]=$(offloads)
  [ "$ROUND" -gt 1 ] || measure_ping "$path"
  if command -v iperf3 >/dev/null; then
    ip netns exec vsk-e2 iperf3 -s -B $IP2 >"$W/iperf3-server-$path.log" 2>&1 &
    PIDS+=($!); sleep 0.3
    measure_tcp "$path"
  elif [ "$ROUND" = 1 ]; then
    skip "kernel-tcp $path: iperf3 missing (it installs nothing: apt-get install iperf3)"
  fi
  [ "$ROUND" -gt 1 ] || case $path in linux-bridge|vanswitch|vanswitch-veth|vanswitch-veth-fastpath) measure_pps "$path" ;; esac
  case $path in
    vanswitch|vanswitch-veth|vanswitch-veth-fastpath) vanswitch_counters 1 >"$W/counters-$path.txt" ;;
    vanswitch-2hosts|vanswitch-2hosts-veth) vanswitch_counters 1 2 >"$W/counters-$path.txt" ;;
  esac
  cleanup
  echo "perf: $path (round $ROUND of $ROUNDS) done after $(( $(date +%s) - T0 )) s" >&2
}

# --- run ------------------------------------------------------------------------------------------

CORES="2 CPUs shared by all; vanswitch: PMD pinned to CPU 1 (one host), one PMD per CPU (two hosts), --idle $IDLE$([ "$IDLE" = backoff ] && echo " (parking when idle: spinning PMDs starved the kernel endpoints on 2 CPUs)")"
PATHS_TEXT="Endpoints in network namespaces (MTU 1500). linux-bridge: veths into a Linux bridge. kernel-vxlan: two host namespaces, an underlay veth (MTU 1600), VXLAN VNI 10 bridged with the endpoint veths. vanswitch: one daemon, two TAP ports on one VAN. vanswitch-veth: the same daemon, veth ports (the switch reads and writes its side through AF_PACKET rings with a vnet header: TCP segments of up to 64 KiB cross it whole; it cuts them only for other kinds of ports and the underlay). vanswitch-2hosts: a daemon per host namespace, underlay on net_af_packet over the veth, TAP endpoints. vanswitch-2hosts-veth: the same with veth ports. vanswitch-veth-fastpath: vanswitch-veth with --kernel-fast-path (learned flows between the veth ports forwarded by the kernel, through tc rules the switch installs)."
perf_scenario kernel-tcp "TCP throughput between kernel endpoints" "message size (bytes)" "$CORES" \
  "iperf3 TCP, one stream, -l SIZE, ${DUR} s$([ "$OMIT" = 0 ] || echo " after ${OMIT} s omitted"); the receiver's rate; $ROUNDS interleaved round(s), one connection per path and size in each, the mean recorded (a connection settles into small or large segments and keeps them: one connection is a draw). $PATHS_TEXT The note gives each connection's rate, the receiver's average segment and the CPUs busy meanwhile (the whole machine's from /proc/stat, and the vanswitch daemons' processes'), and the endpoint interfaces' offload state (ethtool -k)."
perf_scenario kernel-ping "Ping latency between kernel endpoints" "ping" "$CORES" \
  "ping -i $INTERVAL -c $COUNT from endpoint 1 to endpoint 2 (after a warm-up ping). $PATHS_TEXT"
perf_scenario kernel-pps "Forwarding rate of 64-byte frames, one host" "frame size (bytes)" "$CORES" \
  "64-byte frames from endpoint 1 to endpoint 2, counted at the receiving endpoint's interface over $PPS_WIN s; sent by the kernel's pktgen where the module exists, else iperf3 UDP -b 0 -l 18 (then bounded by the endpoints, see the note)."

T0=$(date +%s); LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for ROUND in $(seq "$ROUNDS"); do for path in $PATHS; do run_path "$path"; done; done
record_tcp_rounds
ELAPSED=$(( $(date +%s) - T0 ))

printf 'kernel_load_average\tbefore %s, after %s (1, 5, 15 min; other work shares the CPUs)\n' "$LOAD0" "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/machine.tsv"
for f in "$W"/counters-*.txt; do [ -f "$f" ] && cp "$f" "$RESULTS/kernel-$(basename "$f")"; done
# the messages start "[kernel-tcp ]PATH: ...": the path is the switch of the record
for s in "${SKIPPED[@]}"; do p=${s%%:*}; perf_record kernel-tcp "${p#kernel-tcp }" all tcp_gbps "" "skipped: $s"; done
for s in "${FAILED[@]}"; do p=${s%%:*}; perf_record kernel-tcp "${p#kernel-tcp }" all tcp_gbps "" "failed: $s"; done
[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
[ ${#FAILED[@]} = 0 ] || { echo "perf: ${#FAILED[@]} measurement(s) failed: ${FAILED[*]}" >&2; exit 1; }
