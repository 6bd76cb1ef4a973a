#!/usr/bin/env bash
# ./vanswitch test: installs what is missing (packages, hugepages), then runs every test:
# unit tests and the integration tests with real DPDK ports, dpdk-testpmd, namespaces and the demo.
set -euo pipefail
VS_HOME=$(cd "$(dirname "$0")/../.." && pwd)
. "$VS_HOME/control/scripts/lib.sh"
if [ "$(id -u)" = 0 ]; then
  bash "$VS_HOME/hugepage-setup/prepare-host.sh"
else
  echo "vanswitch test: not root: integration tests will be skipped (CI=true makes that a failure)" >&2
fi
vs_find_jdk
command -v mvn >/dev/null || vs_die "Maven (mvn) not found: run 'sudo hugepage-setup/prepare-host.sh'"
echo "vanswitch test: JAVA_HOME=$JAVA_HOME" >&2
cd "$VS_HOME"
exec mvn -B verify "$@"
