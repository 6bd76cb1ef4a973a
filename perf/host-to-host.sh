#!/usr/bin/env bash
# Host to host: two switches joined by net_memif as their underlay, VM to VM across them, by frame size
# (docs/performance.md).
#
# Method: the loop of perf/local-loop.sh (one dpdk-testpmd, CPU 0, two virtio-user ports, macswap,
# 'start tx_first 8'), with its first port on host A's switch and its second on host B's. A frame
# crosses A (encapsulation), the memif link, and B (decapsulation), and comes back the same way. Both
# "hosts" share CPU 1, the one core this machine has for switching:
#   testpmd-io  one dpdk-testpmd, io forwarding vhost0 <-> memif server and memif client <-> vhost1
#               (the ceiling: no work per packet);
#   vanswitch   two vanswitch instances, one PMD each on CPU 1 with --idle yield (so each gives the core
#               to the other when it has nothing to do), VAN 10 on both, site peers of each other;
#   ovs         skipped, with the reason in the report: two ovs-vswitchd cannot share one PMD core (their
#               PMDs never yield), and one ovs-vswitchd as both hosts does not bring up a memif link to
#               itself (tried; see run_ovs).
#   perf/host-to-host.sh [--quick]    DUR=15 (--quick: 2); FRAMES as local-loop.sh; SWITCHES="testpmd-io ovs vanswitch"
set -uo pipefail
VS_HOME=$(cd "$(dirname "$0")/.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
. "$VS_HOME/perf/lib.sh"
perf_begin host-to-host "${1:-}" vsperfgen vsh2h
DUR=${DUR:-15}; FRAMES=${FRAMES:-$PERF_FRAMES_FULL}
[ $MODE = quick ] && { DUR=${QUICK_DUR:-2}; FRAMES=${QUICK_FRAMES:-$PERF_FRAMES_QUICK}; }
SC=host-to-host
perf_scenario $SC "Host to host: vhost-user -> VAN -> memif underlay -> VAN -> vhost-user" "frame size (bytes)" \
  "both switches: CPU 1 (one PMD each, sharing it); generator: CPU 0" \
  "dpdk-testpmd macswap loop with one virtio-user port on each host's switch ('start tx_first ${BURSTS:-8}'), the sum of both ports' Rx-pps over $DUR s; the hosts' underlays are joined by net_memif; $MODE mode"

# testpmd's forwarding starts once the generator's virtio-user ports are connected: started before,
# it never receives from the vhost-user ports in this four-port setup (seen with DPDK 22.11).
run_testpmd_io() {
  rm -f "$W"/tp*.sock "$W/tp.in"; mkfifo "$W/tp.in"; exec 7<>"$W/tp.in"
  dpdk-testpmd -l 0,1 --main-lcore=0 --no-pci --file-prefix=vsh2htp -m 256 --log-level='*:notice' \
    --vdev "net_vhost0,iface=$W/tp0.sock,queues=1" --vdev "net_vhost1,iface=$W/tp1.sock,queues=1" \
    --vdev "net_memif0,role=server,socket=$W/tp-memif.sock,id=0" --vdev "net_memif1,role=client,socket=$W/tp-memif.sock,id=0" \
    -- --total-num-mbufs=16384 --forward-mode=io --port-topology=paired --portlist=0,2,3,1 --no-lsc-interrupt -i <&7 >"$W/tp-sw.log" 2>&1 &
  PIDS+=($!); wait_socket "$W/tp1.sock" 200
  local f
  for f in $FRAMES; do
    perf_loop_generate "$W/tp0.sock" "$W/tp1.sock" "" tp "$f" > "$W/tp-$f.mpps" &
    sleep 2; echo start >&7; wait $!; echo stop >&7
    perf_record_rate $SC testpmd-io "$f" "$(cat "$W/tp-$f.mpps")"
  done
  echo quit >&7; exec 7>&-
  perf_cleanup
}

# One vanswitch "host": $1 name, $2 underlay IP, $3 peer IP, $4 memif role, $5 underlay MAC.
start_host() {
  local S=$W/$1.sock
  "$VS_HOME/vanswitch" start --socket "$S" --state-dir "$W/$1-state" --cores 1 --idle yield --eal-prefix "vsh2h$1" \
    --mem 256 --mbufs 16384 >"$W/vanswitch-$1.log" 2>&1 &
  PIDS+=($!); wait_socket "$S" 200 || { perf_skip $SC vanswitch "host $1 failed to start: $(tail -1 "$W/vanswitch-$1.log")"; return 1; }
  local reply
  reply=$(perf_ctl "$S" "underlay-set	devargs=net_memif_ul0,role=$4,socket=$W/memif.sock,id=0,mac=$5	ip=$2/24	mtu=2000")
  echo "$reply" | grep -q '^ok' || { perf_skip $SC vanswitch "host $1: underlay-set failed: $reply"; return 1; }
  perf_ctl "$S" "site-peer-add	ip=$3" >/dev/null
  perf_ctl "$S" "van-add	id=10" >/dev/null
  perf_ctl "$S" "port-add	name=vm	van=10	type=vhost-user	target=$W/$1-vm.sock" >/dev/null
  wait_socket "$W/$1-vm.sock" 200
}

run_vanswitch() {
  start_host a 192.0.2.1 192.0.2.2 server 02:00:00:00:01:01 && start_host b 192.0.2.2 192.0.2.1 client 02:00:00:00:01:02 || { perf_cleanup; return; }
  local f m
  for f in $FRAMES; do
    [ "$f" = "${FRAMES%% *}" ] && DUR=$PERF_WARM perf_loop_generate "$W/a-vm.sock" "$W/b-vm.sock" "" vs-warm 64 >/dev/null
    m=$(perf_loop_generate "$W/a-vm.sock" "$W/b-vm.sock" "" vs "$f")
    perf_record_rate $SC vanswitch "$f" "$m" \
      "A: $(perf_ctl "$W/a.sock" underlay-show | tr '\t' '\n' | grep -E '^(encapsulated|decapsulated)=' | tr '\n' ' ')"
  done
  perf_ctl "$W/a.sock" stats > "$RESULTS/host-to-host-a-stats.txt" 2>&1
  perf_ctl "$W/b.sock" stats > "$RESULTS/host-to-host-b-stats.txt" 2>&1
  perf_cleanup
}

run_ovs() {
  perf_skip $SC ovs "two ovs-vswitchd instances would busy-poll against each other on the one switching core; one instance as both hosts does not work either: its memif server and client never bring the link up within one process, and its tunnel route lookup prefers the other bridge's local address (tried with OVS 3.1)"
}

for s in ${SWITCHES:-testpmd-io ovs vanswitch}; do run_${s//-/_}; done
[ -n "${PERF_RUN:-}" ] || perf_report "$RESULTS"
