# Shell functions shared by the perf/ scenarios. Sourced, not executed.

# Waits for a UNIX socket to appear: $2 tenths of a second (default 300).
wait_socket() { for _ in $(seq "${2:-300}"); do [ -S "$1" ] && return 0; sleep 0.1; done; return 1; }

# One request over a vanswitch control socket (docs/control-protocol.md); prints the reply lines.
# A few lines of Python, not vanctl: a JVM start inside a measured window would disturb it.
perf_ctl() {
  python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode() + b"\n"); data = b""
while not (data.endswith(b"ok\n") or b"error\t" in data):
    chunk = s.recv(65536)
    if not chunk: break
    data += chunk
sys.stdout.write(data.decode())' "$1" "$2"
}

PERF_JAR=$VS_HOME/perf/target/vanswitch-perf.jar

# Builds the project (vs_ensure_built) and the perf module when its jar is older than its sources.
perf_ensure_built() {
  vs_ensure_built
  if [ -f "$PERF_JAR" ] && [ -d "$VS_HOME/perf/target/lib" ] && \
     [ -z "$(find "$VS_HOME/perf/pom.xml" "$VS_HOME/perf/src/main" -newer "$PERF_JAR" -type f -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  echo "perf: building the perf module ..." >&2
  (cd "$VS_HOME" && mvn -q -B -DskipTests package) >&2 || vs_die "build failed: run 'mvn -DskipTests package' in $VS_HOME to see why"
  touch "$PERF_JAR"
}

# Runs a Java main class of the perf module (the load generator, the report writer, JMH) in the foreground.
perf_java() {
  local main=$1; shift
  perf_ensure_built
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Dagrona.disable.bounds.checks=true \
    -Dvanswitch.shim="$VS_SHIM" ${PERF_JAVA_OPTS:-} -cp "$PERF_JAR:$VS_HOME/perf/target/lib/*" "$main" "$@"
}

# Results of one harness run, in $RESULTS (docs/performance.md#results-files); the report writer
# (io.vanswitch.perf.report.ReportWriter) turns them into report.md, report.json and charts/*.png.
#   results.tsv:   scenario <TAB> switch <TAB> x <TAB> metric <TAB> value <TAB> note
#   scenarios.tsv: scenario <TAB> title <TAB> x-axis label <TAB> cores <TAB> method
# x is the swept parameter as text (frame size "64", "imix", message size "1024", load "50%",
# entries "100000"); metric names carry their unit (mpps, gbps, tcp_gbps, rtt_avg_ms, p99_us, ...).
# An empty value (or "-") records a switch that was not measured there; its note says why.
#   machine.tsv:   key <TAB> value (date, cpus, cpu_model, kernel, mode, command, dpdk, ovs, java, ...)
perf_record() {   # scenario switch x metric value [note]
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" | tr -d '\r' >> "$RESULTS/results.tsv"
}
perf_scenario() { # scenario title x-label cores method
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$RESULTS/scenarios.tsv"
}
perf_machine() {  # key value
  printf '%s\t%s\n' "$1" "$(printf '%s' "$2" | tr '\t\n' '  ' | tr -d '\r')" >> "$RESULTS/machine.tsv"
}

# Writes report.md, report.json and charts/*.png into a results directory from its results files; exit 2 when
# it holds no results. Headless: the charts are drawn without a display.
perf_report() {   # dir
  PERF_JAVA_OPTS="-Djava.awt.headless=true ${PERF_JAVA_OPTS:-}" perf_java io.vanswitch.perf.report.ReportWriter "$1"
}
