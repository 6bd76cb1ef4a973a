#!/usr/bin/env bash
# Cross-host ping latency through the overlay, side by side in one run (docs/performance.md):
# two hosts as network namespaces joined by a Linux bridge (the underlay), a tenant endpoint per
# host in its own namespace, and between them either
#   (a) vanswitch: one daemon per host, underlay on net_af_packet, tenant on a TAP port, VAN 10; or
#   (b) Linux kernel VXLAN (VNI 10, port 4789) bridged to a veth into the same tenant namespaces.
# The figure is ping's min/avg/max/mdev (COUNT pings at INTERVAL seconds; the paper's method used
# 'ping -q -i 0.2 -c 20').
#   perf/overlay-latency.sh [--quick]     COUNT=100 INTERVAL=0.05 (--quick: 10 pings)
# Two vanswitch daemons share this machine's two cores: measured once with --idle backoff (both PMDs
# on CPU 1, parking up to 1 ms when idle) and once spinning (one PMD per CPU).
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
COUNT=${COUNT:-100}; INTERVAL=${INTERVAL:-0.05}
[ "${1:-}" = --quick ] && COUNT=10
[ "$(id -u)" = 0 ] || vs_die "perf: run as root"
vs_ensure_built
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$VS_HOME/perf/results/overlay-latency-$STAMP}
W=$(mktemp -d /tmp/vs-lat.XXXXXX); mkdir -p "$RESULTS"
cleanup() {
  pkill -f "eal-prefix vslat" 2>/dev/null; sleep 1
  for n in vslat-h1 vslat-h2 vslat-t1 vslat-t2; do ip netns del $n 2>/dev/null; done
  ip link del vslatbr 2>/dev/null; ip link del vslatu1 2>/dev/null; ip link del vslatu2 2>/dev/null
}
trap 'cleanup; rm -rf "$W"' EXIT
cleanup

underlay() {
  ip link add vslatbr type bridge; ip link set vslatbr up
  for h in 1 2; do
    ip netns add vslat-h$h; ip netns add vslat-t$h
    ip link add vslatu$h type veth peer name ul$h; ip link set vslatu$h master vslatbr up
    ip link set ul$h netns vslat-h$h; ip -n vslat-h$h link set ul$h up; ip -n vslat-h$h link set lo up
    ip netns exec vslat-t$h sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
    ip -n vslat-t$h link set lo up
  done
}

pingstats() { ip netns exec vslat-t1 ping -q -i "$INTERVAL" -c "$COUNT" 172.31.0.2 | awk -F'[ =/]+' '/^rtt/ {print $6, $7, $8, $9}'; }

# $1: idle strategy; spinning PMDs get a core each (host 1 on CPU 0, host 2 on CPU 1)
run_vanswitch() {
  local idle=$1
  underlay
  for h in 1 2; do
    local core=1; [ "$idle" = spin ] && core=$((h - 1))
    ip netns exec vslat-h$h "$VS_HOME/vanswitch" start --socket "$W/h$h.sock" --state-dir "$W/h$h" --cores $core --idle $idle \
      --eal-prefix vslat$h --mem 256 > "$W/h$h.log" 2>&1 &
  done
  for h in 1 2; do for _ in $(seq 300); do [ -S "$W/h$h.sock" ] && break; sleep 0.1; done; done
  for h in 1 2; do
    V="$VS_HOME/vanctl --socket $W/h$h.sock"
    $V underlay set --devargs net_af_packet_lat,iface=ul$h --ip 10.88.0.$h/24
    $V site peer add 10.88.0.$((3 - h)); $V van add 10; $V port add t --van 10 --tap vslatt$h
    ip -n vslat-h$h link set vslatt$h netns vslat-t$h
    ip -n vslat-t$h addr add 172.31.0.$h/24 dev vslatt$h; ip -n vslat-t$h link set vslatt$h up
  done
  sleep 3; ip netns exec vslat-t1 ping -q -c 3 -W 2 172.31.0.2 >/dev/null
  eval "VS_$idle=\"$(pingstats)\""
  cleanup
}

run_kernel_vxlan() {
  underlay
  for h in 1 2; do
    N="ip -n vslat-h$h"
    $N addr add 10.88.0.$h/24 dev ul$h
    $N link add vx10 type vxlan id 10 dstport 4789 local 10.88.0.$h remote 10.88.0.$((3 - h)) nolearning
    $N link add br10 type bridge; $N link set vx10 master br10 up; $N link set br10 up
    ip link add vslatk$h type veth peer name vslattk$h
    ip link set vslatk$h netns vslat-h$h; $N link set vslatk$h master br10 up
    ip link set vslattk$h netns vslat-t$h
    ip -n vslat-t$h addr add 172.31.0.$h/24 dev vslattk$h; ip -n vslat-t$h link set vslattk$h up
  done
  # nolearning + static flooding entries keep the kernel from learning: it floods to the one peer
  for h in 1 2; do ip netns exec vslat-h$h bridge fdb append 00:00:00:00:00:00 dev vx10 dst 10.88.0.$((3 - h)); done
  ip netns exec vslat-t1 ping -q -c 3 -W 2 172.31.0.2 >/dev/null
  KX=$(pingstats)
  cleanup
}

run_vanswitch backoff; run_vanswitch spin; run_kernel_vxlan
CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
  echo "# Cross-host ping latency, $STAMP"
  echo
  echo "Machine: $(nproc) CPUs, $CPU. Two hosts as namespaces on a Linux-bridge underlay; $COUNT pings at ${INTERVAL}s."
  echo "vanswitch backoff: two daemons, both PMDs on CPU 1, --idle backoff (park up to 1 ms when idle)."
  echo "vanswitch spin: host 1's PMD spins on CPU 0, host 2's on CPU 1 (the kernel, ping and JVMs share them)."
  echo "Command: perf/overlay-latency.sh"
  echo
  echo "| path | min ms | avg ms | max ms | mdev ms |"
  echo "|---|---|---|---|---|"
  echo "| vanswitch overlay, backoff | $(echo "${VS_backoff:-- - - -}" | tr ' ' '|' | sed 's/|/ | /g') |"
  echo "| vanswitch overlay, spin | $(echo "${VS_spin:-- - - -}" | tr ' ' '|' | sed 's/|/ | /g') |"
  echo "| kernel VXLAN | $(echo "${KX:-- - - -}" | tr ' ' '|' | sed 's/|/ | /g') |"
} | tee "$RESULTS/report.md"
