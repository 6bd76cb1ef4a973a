#!/usr/bin/env bash
# Microbenchmarks of the packet path's parts with JMH (perf/src/main/java/io/vanswitch/perf/jmh):
# header codec, forwarding-table lookups (1 to 1M MACs), the encapsulation rewrite and decapsulation,
# federation frames sealed and opened with AES-256-GCM (OpenSSL through the shim, no EAL),
# and whole 32-frame bursts through the stages and the PMD duty cycle over a fake device layer.
# No DPDK, no root, no hugepages. Each benchmark runs in a JVM forked by JMH with the daemon's JVM
# options (control/scripts/lib.sh vs_java), pinned to CPU 1 when there is one; -prof gc measures
# what each operation allocates (it must be ~0 B/op).
#
#   perf/jmh.sh [--quick] [JMH regex ...]
#     full:    -f 1 -wi 3 -w 1s -i 5 -r 1s          (about 6 s per benchmark and parameter)
#     --quick: -f 1 -wi 1 -w 200ms -i 1 -r 200ms    (the CI smoke mode: scores are rough)
#   RESULTS=dir for the report (default perf/results/jmh-STAMP); JMH_OPTS adds JMH options,
#   e.g. JMH_OPTS="-prof perfasm" or "-p scenario=encap"; JMH_RUN_OPTS replaces the full mode's
#   run options, e.g. JMH_RUN_OPTS="-f 3 -wi 3 -w 1s -i 5 -r 1s" to see the spread between forks.
# Writes jmh.json (JMH's own), jmh.txt (its console), results.tsv/scenarios.tsv (perf/lib.sh) and report.md.
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
MODE=full
JMH_RUN=(${JMH_RUN_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s})
if [ "${1:-}" = --quick ]; then
  MODE=quick; JMH_RUN=(-f 1 -wi 1 -w 200ms -i 1 -r 200ms); shift
fi
command -v python3 >/dev/null || vs_die "perf: python3 missing (it reads JMH's JSON result)"
# before pinning: a build should not be squeezed onto one CPU
perf_ensure_built
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$VS_HOME/perf/results/jmh-$STAMP}
mkdir -p "$RESULTS"

# JMH's JVM and the JVM it forks inherit this shell's affinity
CORES="all CPUs (not pinned)"
if command -v taskset >/dev/null && taskset -cp 1 $$ >/dev/null 2>&1; then
  CORES="CPU 1"
fi

# the daemon's options (vs_java): the JIT and GC see what they see in production. Except
# -XX:+AlwaysPreTouch: it costs over a second per forked JVM on a small VM, and the measured
# methods allocate nothing, so there are no heap page faults for it to take out of the way
JVM_ARGS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow --add-exports java.base/jdk.internal.misc=ALL-UNNAMED"
JVM_ARGS="$JVM_ARGS -XX:+UseParallelGC -Xms256m -Xmx256m -Dagrona.disable.bounds.checks=true -Dvanswitch.shim=$VS_SHIM"

echo "perf: JMH ($MODE) on $CORES, results in $RESULTS" >&2
# -foe: a benchmark whose setup finds it would measure the wrong thing fails the whole run
perf_java org.openjdk.jmh.Main "${JMH_RUN[@]}" -foe true -prof gc -rf json -rff "$RESULTS/jmh.json" \
  -jvmArgsAppend "$JVM_ARGS" ${JMH_OPTS:-} "$@" 2>&1 | tee "$RESULTS/jmh.txt"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || vs_die "perf: JMH failed (exit $status): see $RESULTS/jmh.txt"
[ -s "$RESULTS/jmh.json" ] || vs_die "perf: JMH wrote no results (does the regex match a benchmark?)"

# One line per benchmark and parameter set: name[params] <TAB> score <TAB> error <TAB> unit <TAB> alloc B/op
ROWS=$(python3 - "$RESULTS/jmh.json" <<'PY'
import json, math, sys
for run in json.load(open(sys.argv[1])):
    name = run["benchmark"].rsplit(".", 2)
    name = name[-2] + "." + name[-1]
    params = run.get("params") or {}
    if params:
        name += "[" + ",".join(f"{k}={v}" for k, v in sorted(params.items())) + "]"
    metric = run["primaryMetric"]
    error = metric.get("scoreError")
    error = "n/a" if error is None or (isinstance(error, float) and math.isnan(error)) or error == "NaN" else f"{float(error):.2f}"
    alloc = (run.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
    alloc = "n/a" if alloc is None else f"{alloc['score']:.3f}"
    print(f"{name}\t{metric['score']:.2f}\t{error}\t{metric['scoreUnit']}\t{alloc}")
PY
) || vs_die "perf: cannot read $RESULTS/jmh.json"

METHOD="JMH 1.37, average time per operation, ${JMH_RUN[*]}, -prof gc; one forked JVM with the daemon's options \
(ParallelGC, 256 MB heap, Agrona bounds checks off); a fake device layer in place of DPDK; BurstBenchmark: ns per packet of 32-frame bursts"
perf_scenario jmh "Microbenchmarks (JMH)" "benchmark" "$CORES" "$METHOD"
while IFS=$'\t' read -r name score error unit alloc; do
  [ -n "$name" ] || continue
  perf_record jmh java "$name" ns_op "$score" "± $error"
  [ "$alloc" = n/a ] || perf_record jmh java "$name" alloc_b_op "$alloc"
done <<< "$ROWS"

[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
