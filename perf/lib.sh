# Shell functions shared by the perf/ scenarios. Sourced, not executed.

# Waits for a UNIX socket to appear: $2 tenths of a second (default 300).
wait_socket() { for _ in $(seq "${2:-300}"); do [ -S "$1" ] && return 0; sleep 0.1; done; return 1; }
# Polls a command every 0.2 s until it succeeds, at most $1 times: perf_poll TRIES COMMAND [ARGS...]
perf_poll() { local n=$1; shift; for _ in $(seq "$n"); do "$@" && return 0; sleep 0.2; done; return 1; }

# The Python interpreter itself, for the control-socket helpers below, which run inside measured
# windows: `python3` may be a version manager's shim (pyenv's is a shell script that forks a dozen
# processes, 0.47 s of CPU per call against 0.04 s), and on this 2-CPU machine that CPU time comes
# from the switch's core or the generator's. Open vSwitch's counters are read by ovs-ofctl, a few ms.
PERF_PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null); PERF_PYTHON=${PERF_PYTHON:-python3}

# One request over a vanswitch control socket (docs/control-protocol.md); prints the reply lines.
# A few lines of Python, not vanctl: a JVM start inside a measured window would disturb it.
perf_ctl() {
  "$PERF_PYTHON" -I -S -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode() + b"\n"); data = b""
while not (data.endswith(b"ok\n") or b"error\t" in data):
    chunk = s.recv(65536)
    if not chunk: break
    data += chunk
sys.stdout.write(data.decode())' "$1" "$2"
}

PERF_JAR=$VS_HOME/perf/target/vanswitch-perf.jar

# Builds the project, the perf module included, when anything is newer than the last build.
perf_ensure_built() { vs_ensure_built; }

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
# What a run could not measure, and why: a record without a value (the report shows the reason) and a
# line on stderr.
perf_skip() { # scenario switch reason [metric, default mpps]
  # once per reason: a switch skipped in every round of perf_rounds is one record
  local line; line=$(printf '%s\t%s\tall\t%s\t\tskipped: %s' "$1" "$2" "${4:-mpps}" "$3" | tr -d '\r')
  grep -qxF -- "$line" "$RESULTS/results.tsv" 2>/dev/null || perf_record "$1" "$2" all "${4:-mpps}" "" "skipped: $3"
  echo "perf: $1: skipped $2: $3" >&2
}
perf_scenario() { # scenario title x-label cores method
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$RESULTS/scenarios.tsv"
}

# Frame sizes of the packet-rate scenarios: 64, 512, 1518 (bytes without the CRC, as testpmd counts
# them) and imix: 64, 594 and 1518 bytes in equal shares (testpmd 'set txsplit rand' over three
# segments picks one, two or all three at random), 725.3 bytes on average.
PERF_FRAMES_FULL="64 512 1518 imix"
# Untimed traffic through a freshly started vanswitch before its first measurement, so that the JIT
# has compiled the packet path: a switch runs for days, its first seconds are not its steady state
# (and on 2 CPUs the compiler threads share CPU 0 with the generator, so compiling takes a while).
# The C switches need none. The scripts set PERF_WARM=2 in --quick mode.
PERF_WARM=${PERF_WARM:-10}
PERF_FRAMES_QUICK="64 imix"
perf_frame_bytes() { case $1 in imix) echo 725.33 ;; *) echo "$1" ;; esac; }
# testpmd interactive commands that set the generated frame size
perf_txpkts_cmds() {
  case $1 in
    imix) echo "set txpkts 64,530,924"; echo "set txsplit rand" ;;
    *) echo "set txpkts $1"; echo "set txsplit off" ;;
  esac
}
# Records a packet rate and the bit rate it carries (frame bytes only: no preamble, gap or CRC).
# Within perf_rounds (ROUNDS > 1) the rate is kept until perf_rounds_end records the median.
perf_record_rate() { # scenario switch frame mpps [note]
  [ -n "$4" ] || return 0
  if [ -n "${PERF_ROUNDS_FILE:-}" ]; then
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" | tr -d '\r' >> "$PERF_ROUNDS_FILE"; return 0
  fi
  perf_record "$1" "$2" "$3" mpps "$4" "${5:-}"
  perf_record "$1" "$2" "$3" gbps "$(awk -v m="$4" -v b="$(perf_frame_bytes "$3")" 'BEGIN {printf "%.3f", m * b * 8 / 1000}')"
}
# Interleaved rounds. On a shared VM a switch's rate drifts by up to 2x over tens of seconds (the
# neighbours' load, not the switch: one vanswitch process measured 6 to 14 Mpps in consecutive 2 s
# windows), so one measurement per switch, taken minutes apart from the next switch's, compares
# moments rather than switches. With ROUNDS=N (default: 3 in full mode, 1 in --quick) a script
# measures every switch once per round, the switches in turn, N rounds, and records each rate's
# median, with all N values in its note.
perf_rounds_begin() {
  if [ "$MODE" = quick ]; then PERF_ROUNDS=${ROUNDS:-1}; else PERF_ROUNDS=${ROUNDS:-3}; fi
  [ "$PERF_ROUNDS" -gt 1 ] 2>/dev/null || { PERF_ROUNDS=1; return 0; }
  PERF_ROUNDS_FILE=$W/rounds.tsv; : > "$PERF_ROUNDS_FILE"
}
perf_rounds_end() {
  local file=${PERF_ROUNDS_FILE:-}
  [ -n "$file" ] || return 0
  PERF_ROUNDS_FILE=
  local sc sw x value note
  while IFS=$'\t' read -r sc sw x value note; do
    perf_record_rate "$sc" "$sw" "$x" "$value" "$note"
  done < <(python3 - "$file" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    sc, sw, x, value, note = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
    rows.setdefault((sc, sw, x), []).append((float(value), note))
for (sc, sw, x), runs in rows.items():
    ordered = sorted(runs, key=lambda r: r[0])
    value, note = ordered[(len(ordered) - 1) // 2]   # the lower median: a value that was measured
    values = ", ".join("%.3f" % r[0] for r in runs)
    head = "median of %d interleaved rounds (%s)" % (len(runs), values)
    print("\t".join([sc, sw, x, "%.3f" % value, head + ("; " + note if note else "")]))
PY
)
  rm -f "$file"
}
# The machine block of the report (machine.tsv), written once per results directory.
perf_machine() { # command
  [ -f "$RESULTS/machine.tsv" ] && return 0
  {
    printf 'date\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'cpus\t%s\n' "$(nproc)"
    printf 'cpu_model\t%s\n' "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    printf 'memory\t%s\n' "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
    printf 'kernel\t%s\n' "$(uname -r)"
    printf 'dpdk\t%s\n' "$(dpkg-query -W -f='${Version}' dpdk 2>/dev/null || echo unknown)"
    printf 'ovs\t%s\n' "$(dpkg-query -W -f='${Version}' openvswitch-switch-dpdk 2>/dev/null || echo 'not installed')"
    printf 'java\t%s\n' "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
    printf 'vanswitch\t%s\n' "$(git -C "$VS_HOME" describe --always --dirty 2>/dev/null || echo unknown)"
    printf 'command\t%s\n' "$1"
  } > "$RESULTS/machine.tsv"
}

# The PMD's load in a measured window of DUR seconds that starts 5 s after the generator does (as the
# scripts read rates): perf_pmd_sample SOCKET, right before starting the measured generator, snapshots
# the vanswitch's 'stats' in the background (over the control socket by a few lines of Python: a
# vanctl JVM start would disturb the window); perf_pmd_sampled waits for it (in this shell, not in a
# command substitution: only the shell that started it can wait) and sets PERF_PMD_LOAD (perf_pmd_load).
perf_pmd_sample() {
  PERF_PMD_WINDOW=$(awk -v d="$DUR" 'BEGIN {print d - 0.5}')
  ( sleep 5.2; perf_ctl "$1" stats > "$W/stats0.txt"; sleep "$PERF_PMD_WINDOW"; perf_ctl "$1" stats > "$W/stats1.txt" ) &
  PERF_PMD_SAMPLER=$!
}
perf_pmd_sampled() {
  wait "$PERF_PMD_SAMPLER"; PERF_PMD_LOAD=$(perf_pmd_load "$W/stats0.txt" "$W/stats1.txt" "$PERF_PMD_WINDOW")
}
# The PMD 0 load between two 'stats' snapshots of a vanswitch ($1 $2) taken $3 seconds apart.
perf_pmd_load() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
def pmd0(path):
    for line in open(path):
        fields = dict(f.split("=", 1) for f in line.rstrip("\n").split("\t")[1:] if "=" in f)
        if fields.get("kind") == "pmd" and fields.get("index") == "0":
            return {k: float(v) for k, v in fields.items() if v.replace(".", "", 1).isdigit()}
    return None
try:
    a, b = pmd0(sys.argv[1]), pmd0(sys.argv[2])
    busy = b["busy_polls"] - a["busy_polls"]
    rx = b["rx_packets"] - a["rx_packets"]
    ns = b["processing_ns"] - a["processing_ns"]
    idle = b["idle_polls"] - a["idle_polls"]
    window = float(sys.argv[3])
    # receiving (timed in one duty cycle in 64) costs as much as processing from vhost-user: the PMD's load
    # is both; empty polls between bursts are what is left
    sampled = b.get("rx_sampled_packets", 0) - a.get("rx_sampled_packets", 0)
    rx_ns = (b.get("rx_sampled_ns", 0) - a.get("rx_sampled_ns", 0)) / sampled if sampled > 0 else 0.0
    busy_pct = 100.0 * (ns + rx_ns * rx) / 1e9 / window
    print(f"PMD busy {busy_pct:.0f}% of the window: receiving {rx_ns:.1f} + processing {ns / max(1, rx):.1f} ns/packet; "
          f"{rx / max(1, busy):.1f} packets per busy poll; {idle / window / 1e6:.2f}M empty polls/s")
except Exception as e:
    print(f"PMD load unknown ({e.__class__.__name__})")
PY
}

# Writes report.md, report.json and charts/*.png into a results directory from its results files; exit 2 when
# it holds no results. Headless: the charts are drawn without a display.
perf_report() {   # dir
  PERF_JAVA_OPTS="-Djava.awt.headless=true ${PERF_JAVA_OPTS:-}" perf_java io.vanswitch.perf.report.ReportWriter "$1"
}

# The loop generator of the local and host-to-host scenarios: one dpdk-testpmd on CPU 0 with two
# virtio-user ports, --port-topology=loop --forward-mode=macswap, 'start tx_first BURSTS' (default 8).
# $1 $2: the switch's two vhost-user sockets; $3: ",server=1" when the switch is the vhost-user client,
# else empty; $4: log name (in $W); $5: frame size (perf_txpkts_cmds). Runs 5 + DUR seconds and prints
# the sum of both ports' Rx-pps over the last DUR seconds, in Mpps.
perf_loop_generate() {
  local log=$W/gen-$4-$5.log
  (sleep 3; perf_txpkts_cmds "$5"; echo "start tx_first ${BURSTS:-8}"; sleep 2; echo "show port stats all"; sleep "$DUR"
   echo "show port stats all"; echo stop; echo quit) | \
  timeout -s INT $((DUR + 20)) stdbuf -oL dpdk-testpmd -l 0,1 --main-lcore=1 --no-pci --single-file-segments \
    --file-prefix=vsperfgen -m 128 --log-level='*:notice' \
    --vdev "net_virtio_user0,path=$1,queues=1$3" --vdev "net_virtio_user1,path=$2,queues=1$3" \
    -- --total-num-mbufs=16384 --port-topology=loop --forward-mode=macswap --no-lsc-interrupt -i >"$log" 2>&1
  grep -a -E "Rx-pps" "$log" | tail -2 | awk '{s+=$2} END {printf "%.3f", s/1e6}'
}

# The local switches under test, each joining two vhost-user ports on one PMD core (CPU 1), started
# in the background (pids appended to the caller's PIDS). On success they set PERF_SOCK0 and
# PERF_SOCK1 (the sockets a generator connects to) and PERF_PEER_OPT (",server=1" when the switch is
# the vhost-user client, so the generator's virtio-user ports must be servers); on failure they
# return 1 with the reason in PERF_WHY. $1: a work directory. $2 (vanswitch): extra start options.
perf_start_testpmd_io() {
  PERF_SOCK0=$1/tp0.sock PERF_SOCK1=$1/tp1.sock PERF_PEER_OPT=; rm -f "$PERF_SOCK0" "$PERF_SOCK1"
  dpdk-testpmd -l 0,1 --main-lcore=0 --no-pci --file-prefix=vsperftp -m 256 --log-level='*:notice' \
    --vdev "net_vhost0,iface=$PERF_SOCK0,queues=1" --vdev "net_vhost1,iface=$PERF_SOCK1,queues=1" \
    -- --total-num-mbufs=16384 --forward-mode=io --auto-start --stats-period 5 --no-lsc-interrupt </dev/null >"$1/tp-sw.log" 2>&1 &
  PIDS+=($!); wait_socket "$PERF_SOCK1" 200 || { PERF_WHY="dpdk-testpmd did not start: $(tail -1 "$1/tp-sw.log")"; return 1; }
}

PERF_OVS_VSD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
perf_ovs_installed() {
  [ -x $PERF_OVS_VSD ] && command -v ovsdb-tool >/dev/null || { PERF_WHY="Open vSwitch with DPDK not installed (apt-get install openvswitch-switch-dpdk)"; return 1; }
}
# ovsdb-server and ovs-vswitchd with DPDK, one PMD on CPU 1, their files in $1, EAL file prefix $2;
# $3.. a command prefix to run both under (e.g. ip netns exec NS, so the bridges' kernel interfaces stay
# out of the host). PERF_OVS_CONFIG: more Open_vSwitch other_config keys, KEY=VALUE separated by spaces
# (e.g. "pmd-maxsleep=500"). Appends their pids to PIDS; PERF_OVS_CTL is the vswitchd's unixctl socket.
# OVS_RUNDIR is exported as $1 (ovs-ofctl finds a bridge's socket there): with two instances, name the
# bridge socket (unix:$1/BRIDGE.mgmt) instead.
perf_start_ovs_daemons() {
  local R=$1 prefix=$2; shift 2
  perf_ovs_installed || return 1
  mkdir -p "$R"
  export OVS_RUNDIR=$R OVS_LOGDIR=$R OVS_DBDIR=$R
  ovsdb-tool create "$R/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  "$@" ovsdb-server "$R/conf.db" --remote=punix:"$R/db.sock" --pidfile="$R/ovsdb.pid" --log-file="$R/ovsdb.log" --unixctl="$R/ovsdb.ctl" >/dev/null 2>&1 &
  PIDS+=($!); wait_socket "$R/db.sock" 200 || { PERF_WHY="ovsdb-server did not start: see $R/ovsdb.log"; return 1; }
  ovs-vsctl --db=unix:"$R/db.sock" --no-wait init
  ovs-vsctl --db=unix:"$R/db.sock" --no-wait set Open_vSwitch . other_config:dpdk-init=true other_config:dpdk-lcore-mask=0x2 \
     other_config:pmd-cpu-mask=0x2 other_config:dpdk-socket-mem=256 other_config:dpdk-socket-limit=512 \
     other_config:dpdk-extra="--no-pci --file-prefix=$prefix"
  local kv
  for kv in ${PERF_OVS_CONFIG:-}; do ovs-vsctl --db=unix:"$R/db.sock" --no-wait set Open_vSwitch . "other_config:$kv"; done
  "$@" $PERF_OVS_VSD unix:"$R/db.sock" --pidfile="$R/vsd.pid" --log-file="$R/vsd.log" --unixctl="$R/vsd.ctl" >/dev/null 2>&1 &
  PIDS+=($!); wait_socket "$R/vsd.ctl" 200 || { PERF_WHY="ovs-vswitchd did not start: see $R/vsd.log"; return 1; }
  PERF_OVS_CTL=$R/vsd.ctl
}

# Open vSwitch with DPDK, one bridge in NORMAL (MAC learning) mode; PERF_OVS_CTL is its unixctl socket.
perf_start_ovs_normal() {
  local R=$1/ovs
  rm -rf "$R"   # a fresh database and sockets each time (local runs it once per round)
  perf_start_ovs_daemons "$R" vsperfovs || return 1
  local V="ovs-vsctl --db=unix:$R/db.sock"
  $V add-br br0 -- set bridge br0 datapath_type=netdev
  $V add-port br0 vh0 -- set Interface vh0 type=dpdkvhostuserclient options:vhost-server-path="$R/vh0.sock"
  $V add-port br0 vh1 -- set Interface vh1 type=dpdkvhostuserclient options:vhost-server-path="$R/vh1.sock"
  ovs-ofctl del-flows br0; ovs-ofctl add-flow br0 actions=NORMAL
  PERF_SOCK0=$R/vh0.sock PERF_SOCK1=$R/vh1.sock PERF_PEER_OPT=",server=1"
}
perf_ovs_cycles() { ovs-appctl -t "$PERF_OVS_CTL" dpif-netdev/pmd-stats-show 2>&1 | grep -E "avg processing cycles per packet" | sed 's/^ *//' | head -1; }

# vanswitch, both ports on VAN 1; PERF_VS_SOCK is its control socket.
perf_start_vanswitch() {
  PERF_VS_SOCK=$1/vs.sock
  "$VS_HOME/vanswitch" start --socket "$PERF_VS_SOCK" --state-dir "$1/vs-state" --cores 1 --idle spin --eal-prefix vsperf \
    --mem 256 ${2:-} >"$1/vanswitch.log" 2>&1 &
  PIDS+=($!); wait_socket "$PERF_VS_SOCK" 200 || { PERF_WHY="vanswitch did not start: $(tail -1 "$1/vanswitch.log")"; return 1; }
  perf_ctl "$PERF_VS_SOCK" "van-add	id=1" >/dev/null
  perf_ctl "$PERF_VS_SOCK" "port-add	name=vh0	van=1	type=vhost-user	target=$1/vs0.sock" >/dev/null
  perf_ctl "$PERF_VS_SOCK" "port-add	name=vh1	van=1	type=vhost-user	target=$1/vs1.sock" >/dev/null
  wait_socket "$1/vs1.sock" 200
  PERF_SOCK0=$1/vs0.sock PERF_SOCK1=$1/vs1.sock PERF_PEER_OPT=
}

# Many requests over one control-socket connection, one per stdin line; prints the replies.
perf_ctl_many() {
  "$PERF_PYTHON" -I -S -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rwb")
for line in sys.stdin:
    f.write(line.rstrip("\n").encode() + b"\n"); f.flush()
    while True:
        reply = f.readline()
        if not reply or reply == b"ok\n" or reply.startswith(b"error\t"): break
    if reply.startswith(b"error\t"): sys.stdout.write(reply.decode())' "$1"
}

# The latency load generator (io.vanswitch.perf.loadgen.LatencyGenerator; --help lists its options):
# two virtio-user ports against the switch's vhost-user ports, max rate, then latency percentiles
# and loss at offered loads. With --results DIR it appends to DIR/results.tsv like perf_record.
perf_latency() {
  perf_java io.vanswitch.perf.loadgen.LatencyGenerator "$@"
}

# The start of every packet-rate scenario script: $1 its name, $2 its first argument (--quick or
# nothing), then the EAL file prefixes of the DPDK processes it starts (their hugepage files are
# removed on cleanup). Sets MODE (full|quick), PERF_WARM, RESULTS, W (a work directory, removed on exit
# unless KEEP is set), PIDS (what perf_cleanup stops) and PERF_NETNS (network namespaces perf_cleanup
# deletes), writes machine.tsv, and builds when needed.
perf_begin() {
  local name=$1 arg=${2:-}; shift 2
  MODE=full; [ "$arg" = --quick ] && { MODE=quick; PERF_WARM=2; }
  [ -z "$arg" ] || [ "$arg" = --quick ] || vs_die "perf/$name.sh: unknown argument '$arg' (only --quick)"
  [ "$(id -u)" = 0 ] || vs_die "perf: run as root (hugepages, vhost-user sockets)"
  command -v dpdk-testpmd >/dev/null || vs_die "perf: dpdk-testpmd missing: apt-get install dpdk-dev"
  perf_ensure_built
  RESULTS=${RESULTS:-$VS_HOME/perf/results/$name-$(date -u +%Y%m%dT%H%M%SZ)}
  W=$(mktemp -d "/tmp/vs-$name.XXXXXX"); mkdir -p "$RESULTS"
  perf_machine "perf/$name.sh${arg:+ $arg}"
  PIDS=(); PERF_NETNS=(); PERF_HUGEPAGE_PREFIXES=("$@")
  trap 'perf_cleanup; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
}

# Stops every process in PIDS (TERM, then KILL a second later), deletes the namespaces in PERF_NETNS
# (killing what still runs in them) and removes the hugepage files.
perf_cleanup() {
  local p n
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; sleep 1
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; PIDS=()
  for n in "${PERF_NETNS[@]}"; do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$n" 2>/dev/null
  done; PERF_NETNS=()
  for p in "${PERF_HUGEPAGE_PREFIXES[@]}"; do rm -f /dev/hugepages/"$p"*; done
}
