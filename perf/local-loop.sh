#!/usr/bin/env bash
# Local switching rate, VM to VM on one host, by frame size, side by side in one run (docs/performance.md).
#
# Method (../shared/reference, reused): one dpdk-testpmd with two virtio-user ports on CPU 0
# (--port-topology=loop --forward-mode=macswap, 'start tx_first 8') bounces frames through the switch
# under test, which runs one PMD thread on CPU 1 and joins its two vhost-user ports. The figure is the
# sum of both generator ports' Rx-pps over DUR seconds.
#
# Switches, in this order: dpdk-testpmd io forwarding (the ceiling: no work per packet), Open vSwitch
# with DPDK in NORMAL (MAC learning) mode when installed, and vanswitch (both ports on VAN 1).
#
#   perf/local-loop.sh [--quick]      DUR=15 by default, 2 with --quick; FRAMES="64 512 1518 imix"
#                                     (--quick: "64 imix"); SWITCHES="testpmd-io ovs-normal vanswitch"
# Records go to RESULTS (perf/lib.sh); run alone, it also writes the report there.
# Needs root, hugepages, dpdk-testpmd (dpdk-dev); OVS from openvswitch-switch-dpdk if present
# (installs nothing: a missing reference is reported as skipped).
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
DUR=${DUR:-15}; FRAMES=${FRAMES:-$PERF_FRAMES_FULL}; MODE=full
if [ "${1:-}" = --quick ]; then DUR=${QUICK_DUR:-2}; FRAMES=${QUICK_FRAMES:-$PERF_FRAMES_QUICK}; MODE=quick; fi
[ "$(id -u)" = 0 ] || vs_die "perf: run as root (hugepages, vhost-user sockets)"
command -v dpdk-testpmd >/dev/null || vs_die "perf: dpdk-testpmd missing: apt-get install dpdk-dev"
perf_ensure_built
RESULTS=${RESULTS:-$VS_HOME/perf/results/local-loop-$(date -u +%Y%m%dT%H%M%SZ)}
W=$(mktemp -d /tmp/vs-perf.XXXXXX); mkdir -p "$RESULTS"
perf_machine "perf/local-loop.sh${1:+ $1}"
SC=local
perf_scenario $SC "Local switching: vhost-user -> VAN -> vhost-user, one host" "frame size (bytes)" \
  "switch: 1 PMD on CPU 1; generator: CPU 0" \
  "dpdk-testpmd macswap loop over two virtio-user ports ('start tx_first ${BURSTS:-8}'), the sum of both ports' Rx-pps over $DUR s; $MODE mode"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; sleep 1
            for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; PIDS=(); rm -f /dev/hugepages/vsperfgen* /dev/hugepages/vsperftp*; }
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT

run_testpmd_io() {
  rm -f "$W"/tp*.sock
  dpdk-testpmd -l 0,1 --main-lcore=0 --no-pci --file-prefix=vsperftp -m 256 --log-level='*:notice' \
    --vdev "net_vhost0,iface=$W/tp0.sock,queues=1" --vdev "net_vhost1,iface=$W/tp1.sock,queues=1" \
    -- --total-num-mbufs=16384 --forward-mode=io --auto-start --stats-period 5 --no-lsc-interrupt </dev/null >"$W/tp-sw.log" 2>&1 &
  PIDS+=($!); wait_socket "$W/tp1.sock" 200
  for f in $FRAMES; do perf_record_rate $SC testpmd-io "$f" "$(perf_loop_generate "$W/tp0.sock" "$W/tp1.sock" "" tp "$f")"; done
  cleanup
}

run_ovs_normal() {
  local VSD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk R=$W/ovs
  if [ ! -x $VSD ] || ! command -v ovsdb-tool >/dev/null; then
    perf_skip $SC ovs-normal "Open vSwitch with DPDK not installed (apt-get install openvswitch-switch-dpdk)"; return
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
  /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk unix:"$R/db.sock" --pidfile="$R/vsd.pid" --log-file="$R/vsd.log" --unixctl="$R/vsd.ctl" >/dev/null 2>&1 &
  PIDS+=($!); wait_socket "$R/vsd.ctl" 200
  $V add-br br0 -- set bridge br0 datapath_type=netdev
  $V add-port br0 vh0 -- set Interface vh0 type=dpdkvhostuserclient options:vhost-server-path="$R/vh0.sock"
  $V add-port br0 vh1 -- set Interface vh1 type=dpdkvhostuserclient options:vhost-server-path="$R/vh1.sock"
  ovs-ofctl del-flows br0; ovs-ofctl add-flow br0 actions=NORMAL
  local f m
  for f in $FRAMES; do
    ovs-appctl -t "$R/vsd.ctl" dpif-netdev/pmd-stats-clear >/dev/null 2>&1
    m=$(perf_loop_generate "$R/vh0.sock" "$R/vh1.sock" ",server=1" ovs "$f")
    perf_record_rate $SC ovs-normal "$f" "$m" \
      "$(ovs-appctl -t "$R/vsd.ctl" dpif-netdev/pmd-stats-show 2>&1 | grep -E "processing cycles" | sed 's/^ *//' | head -1)"
  done
  cleanup; rm -f /dev/hugepages/vsperfovs*
}

run_vanswitch() {
  local S=$W/vs.sock f m
  "$VS_HOME/vanswitch" start --socket "$S" --state-dir "$W/vs-state" --cores 1 --idle spin --eal-prefix vsperf \
    --mem 256 >"$W/vanswitch.log" 2>&1 &
  PIDS+=($!); wait_socket "$S" 200 || { cat "$W/vanswitch.log" >&2; perf_skip $SC vanswitch "failed to start: $(tail -1 "$W/vanswitch.log")"; return; }
  perf_ctl "$S" "van-add	id=1" >/dev/null
  perf_ctl "$S" "port-add	name=vh0	van=1	type=vhost-user	target=$W/vs0.sock" >/dev/null
  perf_ctl "$S" "port-add	name=vh1	van=1	type=vhost-user	target=$W/vs1.sock" >/dev/null
  for f in $FRAMES; do
    # PMD load inside the measured window: busy polls (that found packets) against all polls
    # (read over the control socket by a few lines of Python: a vanctl JVM start would disturb the window)
    ( sleep 5.2; perf_ctl "$S" stats > "$W/stats0.txt"; sleep "$(awk -v d="$DUR" 'BEGIN {print d - 0.5}')"; perf_ctl "$S" stats > "$W/stats1.txt" ) &
    local sampler=$!
    m=$(perf_loop_generate "$W/vs0.sock" "$W/vs1.sock" "" vs "$f")
    wait $sampler
    perf_record_rate $SC vanswitch "$f" "$m" "$(perf_pmd_load "$W/stats0.txt" "$W/stats1.txt" "$(awk -v d="$DUR" 'BEGIN {print d - 0.5}')")"
  done
  perf_ctl "$S" stats > "$RESULTS/local-vanswitch-stats.txt" 2>&1
  cleanup
}

for s in ${SWITCHES:-testpmd-io ovs-normal vanswitch}; do run_${s//-/_}; done
[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
