# Shell functions shared by ./vanswitch, ./vanctl and the scripts: find a JDK, build on first use, run Java.
# Sourced, not executed. VS_HOME is the repository root.

VS_HOME=${VS_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VS_JAR=$VS_HOME/control/target/vanswitch-control.jar
VS_SHIM=$VS_HOME/bindings/target/native/libvanswitch_shim.so

vs_die() { echo "vanswitch: $*" >&2; exit 1; }

# Prints the feature version of a java binary (17, 25, ...), or nothing.
vs_java_version() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

# Sets JAVA_HOME to a JDK >= 22: $JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
vs_find_jdk() {
  local v candidates="" best="" bestv=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(vs_java_version "$JAVA_HOME/bin/java")
    if [ "${v:-0}" -ge 22 ] 2>/dev/null; then export JAVA_HOME; return 0; fi
    candidates="JAVA_HOME=$JAVA_HOME is Java ${v:-unknown}; "
  fi
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(vs_java_version "$d/bin/java")
    candidates="$candidates$(basename "$d")=${v:-?} "
    if [ "${v:-0}" -ge 22 ] 2>/dev/null && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  [ -n "$best" ] || vs_die "no JDK >= 22 found (needed for the FFM API; found: ${candidates:-none}). Install one (e.g. Temurin 25) under /usr/lib/jvm or set JAVA_HOME."
  export JAVA_HOME=$best
}

# Builds the project when the jar is missing or any source or pom is newer than it.
vs_ensure_built() {
  vs_find_jdk
  # the perf module (the harness's Java) is part of the same build
  if [ -f "$VS_JAR" ] && [ -f "$VS_SHIM" ] && [ -d "$VS_HOME/control/target/lib" ] && [ -f "$VS_HOME/perf/target/vanswitch-perf.jar" ] && \
     [ -z "$(find "$VS_HOME/pom.xml" "$VS_HOME"/{bindings,dataplane,control,perf}/pom.xml "$VS_HOME"/{bindings,dataplane,control,perf}/src/main \
            -newer "$VS_JAR" -type f -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  command -v mvn >/dev/null || vs_die "Maven (mvn) not found: run 'sudo hugepage-setup/prepare-host.sh' or apt-get install maven"
  echo "vanswitch: building (mvn package, tests skipped) ..." >&2
  (cd "$VS_HOME" && mvn -q -B -DskipTests package) >&2 || vs_die "build failed: run 'mvn -DskipTests package' in $VS_HOME to see why"
  # package may not touch an unchanged jar: mark it as built now
  touch "$VS_JAR"
}

# Runs a Java main class of the project. VS_JAVA_OPTS adds JVM options (profiling, diagnostics).
vs_java() {
  local main=$1; shift
  vs_ensure_built
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
    -XX:+UseParallelGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch \
    -Dagrona.disable.bounds.checks=true -Dvanswitch.shim="$VS_SHIM" ${VS_JAVA_OPTS:-} \
    -cp "$VS_JAR:$VS_HOME/control/target/lib/*" "$main" "$@"
}
