#!/usr/bin/env bash
# Scale (docs/performance.md): how the rate moves with the work in the tables.
#   scale-macs: the Java load generator teaches the switch N MACs behind its port B (1, 1k, 100k, 1M),
#               then sends 64-byte frames from A to all of them in turn (successive frames to different
#               entries, so a large table really misses the caches); the figure is the maximum rate.
#               Switches: dpdk-testpmd io (no table: the ceiling), OVS NORMAL (mac-table-size raised to
#               hold them), vanswitch (--fdb-size raised to hold them).
#   scale-vans: vanswitch with 1, 256 and 4096 VANs configured, traffic in one of them; the figure is
#               the maximum rate (what the per-VAN state costs the packets of one VAN).
#   perf/scale.sh [--quick]    DUR=5 (--quick: 1; MACs 1 and 1000, VANs 1 and 256)
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
perf_begin scale "${1:-}" vsperfscl vsperftp vsperfovs vsperf_
DUR=${DUR:-5}; MACS=${MACS:-1 1000 100000 1000000}; VANS=${VANS:-1 256 4096}
[ $MODE = quick ] && { DUR=${QUICK_DUR:-1}; MACS="1 1000"; VANS="1 256"; }
perf_scenario scale-macs "Scale: rate by MAC entries in the forwarding table, 64-byte frames" "MAC entries" \
  "switch: 1 PMD on CPU 1; generator: CPU 0" \
  "Java load generator: port B teaches N source MACs, then A sends to all N in turn, unpaced, for $DUR s; $MODE mode"
perf_scenario scale-vans "Scale: rate by VANs configured, traffic in one, 64-byte frames" "VANs" \
  "switch: 1 PMD on CPU 1; generator: CPU 0" "Java load generator, one MAC pair, unpaced, for $DUR s; $MODE mode"
# the largest table needs room: the JVM heap for vanswitch's table, OVS's MAC table size
export VS_JAVA_OPTS="${VS_JAVA_OPTS:-} -Xms1g -Xmx1g"
FDB=$(( $(echo "$MACS" | tr ' ' '\n' | sort -n | tail -1) + 1024 ))

max_rate() { # scenario switch x macs
  [ "$2" = vanswitch ] && perf_latency --socket-a "$PERF_SOCK0" --socket-b "$PERF_SOCK1" --core 0 --file-prefix vsperfscl \
    --frame 64 --duration "$PERF_WARM" --warmup 0 --loads none > "$W/warm.log" 2>&1   # untimed: see PERF_WARM
  perf_latency --socket-a "$PERF_SOCK0" --socket-b "$PERF_SOCK1" ${PERF_PEER_OPT:+--server} --core 0 --file-prefix vsperfscl \
    --frame 64 --duration "$DUR" --warmup 1 --loads none --macs "$4" --learn-rate 1000000 \
    --results "$RESULTS" --scenario "$1" --switch "$2" --x "$3" > "$W/gen-$1-$2-$3.log" 2>&1 \
    || perf_skip "$1" "$2" "the load generator failed at $3: $(tail -1 "$W/gen-$1-$2-$3.log")" max_mpps
}

for s in ${SWITCHES:-testpmd-io ovs-normal vanswitch}; do
  for n in $MACS; do
    case $s in
      vanswitch) perf_start_vanswitch "$W" "--fdb-size $FDB" ;;
      ovs-normal) perf_start_ovs_normal "$W" && ovs-vsctl --db=unix:"$W/ovs/db.sock" set bridge br0 other_config:mac-table-size=$FDB ;;
      *) perf_start_${s//-/_} "$W" ;;
    esac || { perf_skip scale-macs "$s" "$PERF_WHY" max_mpps; perf_cleanup; break; }
    max_rate scale-macs "$s" "$n" "$n"
    perf_cleanup
  done
done
for v in $VANS; do
  perf_start_vanswitch "$W" || { perf_skip scale-vans vanswitch "$PERF_WHY" max_mpps; perf_cleanup; break; }
  for i in $(seq 2 "$v"); do echo "van-add	id=$((1000 + i))"; done | perf_ctl_many "$PERF_VS_SOCK" >/dev/null
  max_rate scale-vans vanswitch "$v" 1
  perf_cleanup
done
[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
