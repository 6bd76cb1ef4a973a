#!/usr/bin/env bash
# ./vanswitch demo: a newcomer's first run. Prepares the host (packages, hugepages), builds if
# needed, starts a daemon, creates VAN 1 with two network namespaces attached through TAP ports,
# pings between them, prints the port list and statistics, and removes everything again.
set -euo pipefail
VS_HOME=$(cd "$(dirname "$0")/../.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
[ "$(id -u)" = 0 ] || vs_die "the demo creates network namespaces and needs hugepages: run it as root"

bash "$VS_HOME/hugepage-setup/prepare-host.sh"
vs_ensure_built

WORK=$(mktemp -d /tmp/vanswitch-demo.XXXXXX)
SOCK=$WORK/vanswitch.sock
PID=
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
cleanup() {
  set +e
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"; wait "$PID"; echo "vanswitch stopped (exit $?)"
  fi
  ip netns del vsdemo-a 2>/dev/null; ip netns del vsdemo-b 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
ip netns del vsdemo-a 2>/dev/null || true; ip netns del vsdemo-b 2>/dev/null || true
vanctl() { "$VS_HOME/vanctl" --socket "$SOCK" "$@"; }

CORE=$(( $(nproc) - 1 ))
step "starting vanswitch (PMD on CPU $CORE, log in $WORK/vanswitch.log)"
"$VS_HOME/vanswitch" start --socket "$SOCK" --state-dir "$WORK/state" --cores "$CORE" --idle backoff \
  --eal-prefix vsdemo --mem 256 >"$WORK/vanswitch.log" 2>&1 &
PID=$!
for _ in $(seq 300); do [ -S "$SOCK" ] && break; kill -0 $PID 2>/dev/null || { cat "$WORK/vanswitch.log"; vs_die "vanswitch did not start"; }; sleep 0.1; done
[ -S "$SOCK" ] || { cat "$WORK/vanswitch.log"; vs_die "vanswitch did not open its control socket"; }

step "vanctl van add 1 --name demo"
vanctl van add 1 --name demo
step "vanctl port add tap-a --van 1 --tap vsdemo-a; vanctl port add tap-b --van 1 --tap vsdemo-b"
vanctl port add tap-a --van 1 --tap vsdemo-a
vanctl port add tap-b --van 1 --tap vsdemo-b

step "moving the TAP interfaces into namespaces vsdemo-a (10.200.0.1) and vsdemo-b (10.200.0.2)"
for side in a b; do
  ip netns add vsdemo-$side
  ip link set vsdemo-$side netns vsdemo-$side
  ip -n vsdemo-$side addr add 10.200.0.$([ $side = a ] && echo 1 || echo 2)/24 dev vsdemo-$side
  ip -n vsdemo-$side link set vsdemo-$side up
done

step "ip netns exec vsdemo-a ping -c 5 10.200.0.2"
ip netns exec vsdemo-a ping -c 5 -i 0.2 10.200.0.2

step "vanctl port list"
vanctl port list
step "vanctl fdb show"
vanctl fdb show
step "vanctl stats"
vanctl stats
step "cleaning up"
