#!/usr/bin/env bash
# Local switching rate, VM to VM on one host, measured side by side in one run (docs/performance.md).
#
# Method (../shared/reference, reused): one dpdk-testpmd with two virtio-user ports on CPU 0
# (--port-topology=loop --forward-mode=macswap, 'start tx_first 8') bounces 64-byte frames through
# the switch under test, which runs one PMD thread on CPU 1 and joins its two vhost-user ports. The
# figure is the sum of both generator ports' Rx-pps after DUR seconds.
#
# Switches, in this order: dpdk-testpmd io forwarding (the ceiling: no work per packet), Open vSwitch
# with DPDK in NORMAL (MAC learning) mode when installed, and vanswitch (both ports on VAN 1).
#
#   perf/local-loop.sh [--quick]      DUR=15 by default, 3 with --quick; RESULTS=dir for the report
# Needs root, hugepages, dpdk-testpmd (dpdk-dev); OVS from openvswitch-switch-dpdk if present
# (installs nothing: a missing reference is reported as skipped).
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
DUR=${DUR:-15}
[ "${1:-}" = --quick ] && DUR=${QUICK_DUR:-3}
[ "$(id -u)" = 0 ] || vs_die "perf: run as root (hugepages, vhost-user sockets)"
command -v dpdk-testpmd >/dev/null || vs_die "perf: dpdk-testpmd missing: apt-get install dpdk-dev"
vs_ensure_built
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$VS_HOME/perf/results/local-loop-$STAMP}
W=$(mktemp -d /tmp/vs-perf.XXXXXX); mkdir -p "$RESULTS"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; sleep 1
            for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; PIDS=(); rm -f /dev/hugepages/vsperfgen* /dev/hugepages/vsperftp*; }
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT

# The generator: testpmd macswap loop over two virtio-user ports. $1 $2: sockets; $3: ,server=1 or empty.
generate() {
  local log=$W/gen-$4.log
  (sleep 3; echo "start tx_first ${BURSTS:-8}"; sleep 2; echo "show port stats all"; sleep "$DUR"
   echo "show port stats all"; echo stop; echo quit) | \
  timeout -s INT $((DUR + 20)) stdbuf -oL dpdk-testpmd -l 0,1 --main-lcore=1 --no-pci --single-file-segments \
    --file-prefix=vsperfgen -m 128 --log-level='*:notice' \
    --vdev "net_virtio_user0,path=$1,queues=1$3" --vdev "net_virtio_user1,path=$2,queues=1$3" \
    -- --total-num-mbufs=16384 --port-topology=loop --forward-mode=macswap --no-lsc-interrupt -i >"$log" 2>&1
  grep -a -E "Rx-pps" "$log" | tail -2 | awk '{s+=$2} END {printf "%.3f", s/1e6}'
}

declare -A MPPS NOTE
run_testpmd_io() {
  rm -f "$W"/tp*.sock
  dpdk-testpmd -l 0,1 --main-lcore=0 --no-pci --file-prefix=vsperftp -m 256 --log-level='*:notice' \
    --vdev "net_vhost0,iface=$W/tp0.sock,queues=1" --vdev "net_vhost1,iface=$W/tp1.sock,queues=1" \
    -- --total-num-mbufs=16384 --forward-mode=io --auto-start --stats-period 5 --no-lsc-interrupt </dev/null >"$W/tp-sw.log" 2>&1 &
  PIDS+=($!); wait_socket "$W/tp1.sock" 200
  MPPS[testpmd-io]=$(generate "$W/tp0.sock" "$W/tp1.sock" "" tp)
  cleanup
}

run_ovs_normal() {
  local VSD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk R=$W/ovs
  if [ ! -x $VSD ] || ! command -v ovsdb-tool >/dev/null; then
    NOTE[ovs-normal]="skipped: Open vSwitch with DPDK not installed (apt-get install openvswitch-switch-dpdk)"; return
  fi
  mkdir -p "$R"
  export OVS_RUNDIR=$R OVS_LOGDIR=$R OVS_DBDIR=$R
  ovsdb-tool create "$R/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server "$R/conf.db" --remote=punix:"$R/db.sock" --pidfile="$R/ovsdb.pid" --log-file="$R/ovsdb.log" --unixctl="$R/ovsdb.ctl" >/dev/null 2>&1 &
  PIDS+=($!); wait_socket "$R/db.sock" 200
  local V="ovs-vsctl --db=unix:$R/db.sock"
  $V --no-wait init
  $V --no-wait set Open_vSwitch . other_config:dpdk-init=true other_config:dpdk-lcore-mask=0x2 other_config:pmd-cpu-mask=0x2 \
     other_config:dpdk-socket-mem=256 other_config:dpdk-extra="--no-pci --file-prefix=vsperfovs"
  $VSD unix:"$R/db.sock" --pidfile="$R/vsd.pid" --log-file="$R/vsd.log" --unixctl="$R/vsd.ctl" >/dev/null 2>&1 &
  PIDS+=($!); wait_socket "$R/vsd.ctl" 200
  $V add-br br0 -- set bridge br0 datapath_type=netdev
  $V add-port br0 vh0 -- set Interface vh0 type=dpdkvhostuserclient options:vhost-server-path="$R/vh0.sock"
  $V add-port br0 vh1 -- set Interface vh1 type=dpdkvhostuserclient options:vhost-server-path="$R/vh1.sock"
  ovs-ofctl del-flows br0; ovs-ofctl add-flow br0 actions=NORMAL
  MPPS[ovs-normal]=$(generate "$R/vh0.sock" "$R/vh1.sock" ",server=1" ovs)
  NOTE[ovs-normal]=$(ovs-appctl -t "$R/vsd.ctl" dpif-netdev/pmd-stats-show 2>&1 | grep -E "processing cycles" | sed 's/^ *//' | head -1)
  cleanup; rm -f /dev/hugepages/vsperfovs*
}

run_vanswitch() {
  local S=$W/vs.sock
  "$VS_HOME/vanswitch" start --socket "$S" --state-dir "$W/vs-state" --cores 1 --idle spin --eal-prefix vsperf \
    --mem 256 >"$W/vanswitch.log" 2>&1 &
  PIDS+=($!); wait_socket "$S" 200 || { cat "$W/vanswitch.log"; NOTE[vanswitch]="failed to start"; return; }
  "$VS_HOME/vanctl" --socket "$S" van add 1
  "$VS_HOME/vanctl" --socket "$S" port add vh0 --van 1 --vhost-user "$W/vs0.sock"
  "$VS_HOME/vanctl" --socket "$S" port add vh1 --van 1 --vhost-user "$W/vs1.sock"
  # PMD load inside the measured window: busy polls (that found packets) against all polls
  # (read over the control socket by a few lines of Python: a vanctl JVM start would disturb the window)
  ( sleep 6; perf_ctl "$S" stats > "$W/stats0.txt"; sleep $((DUR - 2)); perf_ctl "$S" stats > "$W/stats1.txt" ) &
  local sampler=$!
  MPPS[vanswitch]=$(generate "$W/vs0.sock" "$W/vs1.sock" "" vs)
  wait $sampler
  "$VS_HOME/vanctl" --socket "$S" stats > "$RESULTS/vanswitch-stats.txt" 2>&1
  NOTE[vanswitch]=$(python3 - "$W/stats0.txt" "$W/stats1.txt" "$((DUR - 2))" <<'PY'
import json, sys
def pmd0(path):
    for line in open(path):
        fields = dict(f.split("=", 1) for f in line.rstrip("\n").split("\t")[1:])
        if fields.get("kind") == "pmd" and fields.get("index") == "0":
            return {k: float(v) for k, v in fields.items() if v.replace(".", "", 1).isdigit()}
a, b = pmd0(sys.argv[1]), pmd0(sys.argv[2])
busy, idle = b["busy_polls"] - a["busy_polls"], b["idle_polls"] - a["idle_polls"]
rx = b["rx_packets"] - a["rx_packets"]
ns = b["processing_ns"] - a["processing_ns"]
window = float(sys.argv[3])
print(f"PMD processing {100.0 * ns / 1e9 / window:.0f}% of the window at {ns / max(1, rx):.1f} ns/packet; "
      f"{rx / max(1, busy):.1f} packets per busy poll")
PY
)
  cleanup
}

for s in ${SWITCHES:-testpmd-io ovs-normal vanswitch}; do run_${s//-/_}; done

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
ref=${MPPS[testpmd-io]:-0}
{
  echo "# Local switching rate (VM to VM, one host), $STAMP"
  echo
  echo "Machine: $(nproc) CPUs, $CPU. Generator: dpdk-testpmd macswap loop on CPU 0; switch under test on CPU 1."
  echo "64-byte frames, ${BURSTS:-8} bursts in flight, $DUR s. Command: perf/local-loop.sh$([ "$DUR" = "${QUICK_DUR:-3}" ] && echo ' --quick')"
  echo
  echo "| switch | Mpps | vs testpmd io | vs OVS NORMAL | note |"
  echo "|---|---|---|---|---|"
  for s in testpmd-io ovs-normal vanswitch; do
    m=${MPPS[$s]:-}
    r1=$( [ -n "$m" ] && awk -v a="$m" -v b="$ref" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "-"}' || echo -)
    r2=$( [ -n "$m" ] && [ -n "${MPPS[ovs-normal]:-}" ] && awk -v a="$m" -v b="${MPPS[ovs-normal]}" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "-"}' || echo -)
    echo "| $s | ${m:--} | $r1 | $r2 | ${NOTE[$s]:-} |"
  done
} | tee "$RESULTS/report.md"
{
  printf '{"scenario":"local-loop","date":"%s","cpus":%s,"cpu_model":"%s","duration_s":%s,"frame_bytes":64,"mpps":{' "$STAMP" "$(nproc)" "$CPU" "$DUR"
  first=1; for s in testpmd-io ovs-normal vanswitch; do
    [ -n "${MPPS[$s]:-}" ] || continue; [ $first = 1 ] || printf ','; first=0; printf '"%s":%s' "$s" "${MPPS[$s]}"; done
  printf '}}\n'
} > "$RESULTS/report.json"
echo "report: $RESULTS/report.md"
