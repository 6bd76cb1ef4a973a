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
#                                     (--quick: "64 imix"); SWITCHES="testpmd-io ovs-normal vanswitch";
#                                     ROUNDS (full: 3, --quick: 1): the switches in turn, medians recorded
# Records go to RESULTS (perf/lib.sh); run alone, it also writes the report there.
# Needs root, hugepages, dpdk-testpmd (dpdk-dev); OVS from openvswitch-switch-dpdk if present
# (installs nothing: a missing reference is reported as skipped).
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
perf_begin local-loop "${1:-}" vsperfgen vsperftp vsperf_ vsperfovs
DUR=${DUR:-15}; FRAMES=${FRAMES:-$PERF_FRAMES_FULL}
[ $MODE = quick ] && { DUR=${QUICK_DUR:-2}; FRAMES=${QUICK_FRAMES:-$PERF_FRAMES_QUICK}; }
SC=local
perf_scenario $SC "Local switching: vhost-user -> VAN -> vhost-user, one host" "frame size (bytes)" \
  "switch: 1 PMD on CPU 1; generator: CPU 0" \
  "dpdk-testpmd macswap loop over two virtio-user ports ('start tx_first ${BURSTS:-8}'), the sum of both ports' Rx-pps over $DUR s; $MODE mode"

run_testpmd_io() {
  perf_start_testpmd_io "$W" || { perf_skip $SC testpmd-io "$PERF_WHY"; perf_cleanup; return; }
  for f in $FRAMES; do perf_record_rate $SC testpmd-io "$f" "$(perf_loop_generate "$PERF_SOCK0" "$PERF_SOCK1" "" tp "$f")"; done
  perf_cleanup
}

run_ovs_normal() {
  perf_start_ovs_normal "$W" || { perf_skip $SC ovs-normal "$PERF_WHY"; perf_cleanup; return; }
  local f m
  for f in $FRAMES; do
    ovs-appctl -t "$PERF_OVS_CTL" dpif-netdev/pmd-stats-clear >/dev/null 2>&1
    m=$(perf_loop_generate "$PERF_SOCK0" "$PERF_SOCK1" "$PERF_PEER_OPT" ovs "$f")
    perf_record_rate $SC ovs-normal "$f" "$m" "$(perf_ovs_cycles)"
  done
  perf_cleanup; rm -f /dev/hugepages/vsperfovs*
}

run_vanswitch() {
  perf_start_vanswitch "$W" || { perf_skip $SC vanswitch "$PERF_WHY"; perf_cleanup; return; }
  local S=$PERF_VS_SOCK f m
  for f in $FRAMES; do
    [ "$f" = "${FRAMES%% *}" ] && DUR=$PERF_WARM perf_loop_generate "$PERF_SOCK0" "$PERF_SOCK1" "" vs-warm 64 >/dev/null
    # PMD load inside the measured window (not the warm-up's): busy polls (that found packets) against all polls
    perf_pmd_sample "$S"
    m=$(perf_loop_generate "$PERF_SOCK0" "$PERF_SOCK1" "" vs "$f")
    perf_pmd_sampled
    perf_record_rate $SC vanswitch "$f" "$m" "$PERF_PMD_LOAD"
  done
  perf_ctl "$S" stats > "$RESULTS/local-vanswitch-stats.txt" 2>&1
  perf_cleanup
}

perf_rounds_begin
for round in $(seq 1 "$PERF_ROUNDS"); do
  for s in ${SWITCHES:-testpmd-io ovs-normal vanswitch}; do run_${s//-/_}; done
done
perf_rounds_end
[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
