#!/usr/bin/env bash
# Latency under load through each local switch (docs/performance.md): the Java load generator
# (io.vanswitch.perf.loadgen.LatencyGenerator, CPU 0, two virtio-user ports) measures the switch's
# maximum rate of 64-byte frames, then offers 10%, 50% and 90% of it with timestamped frames and
# records the one-way latency through the switch (p50, p99, p99.9, max, in an HdrHistogram) and the loss.
# Switches on CPU 1, one PMD: dpdk-testpmd io (the floor), Open vSwitch with DPDK NORMAL, vanswitch.
#   perf/latency.sh [--quick]     DUR=5 per window (--quick: 1); SWITCHES="testpmd-io ovs-normal vanswitch"
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
perf_begin latency "${1:-}" vsperflat vsperftp vsperfovs vsperf_
DUR=${DUR:-5}; WARMUP=1
[ $MODE = quick ] && { DUR=${QUICK_DUR:-1}; WARMUP=0.5; }
SC=latency
perf_scenario $SC "Latency under load: vhost-user -> switch -> vhost-user, 64-byte frames" "offered load (% of the switch's own maximum)" \
  "switch: 1 PMD on CPU 1; generator: CPU 0" \
  "Java load generator on the DPDK bindings (perf/latency.sh): maximum rate unpaced over $DUR s, then each load paced for $DUR s after ${WARMUP} s of warm-up; one-way latency from a nanoTime stamp in the payload; $MODE mode"

measure() { # switch-name
  perf_latency --socket-a "$PERF_SOCK0" --socket-b "$PERF_SOCK1" ${PERF_PEER_OPT:+--server} --core 0 --file-prefix vsperflat \
    --frame 64 --duration "$DUR" --warmup "$WARMUP" --results "$RESULTS" --scenario $SC --switch "$1" > "$W/gen-$1.log" 2>&1 \
    || { perf_skip $SC "$1" "the load generator failed: $(tail -1 "$W/gen-$1.log")" p50_us; }
  cat "$W/gen-$1.log"
}

for s in ${SWITCHES:-testpmd-io ovs-normal vanswitch}; do
  if perf_start_${s//-/_} "$W"; then
    [ "$s" = vanswitch ] && perf_latency --socket-a "$PERF_SOCK0" --socket-b "$PERF_SOCK1" --core 0 --file-prefix vsperflat \
      --frame 64 --duration "$PERF_WARM" --warmup 0 --loads none > "$W/warm.log" 2>&1   # untimed: see PERF_WARM
    measure "$s"
  else perf_skip $SC "$s" "$PERF_WHY" p50_us; fi
  perf_cleanup
done
[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
