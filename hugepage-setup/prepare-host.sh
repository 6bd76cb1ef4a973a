#!/usr/bin/env bash
# Makes a fresh Debian 12 machine ready to build, run and test vanswitch (as root): installs the
# missing apt packages (saying which and why) and reserves hugepages. Used by './vanswitch demo',
# './vanswitch test' and './vanswitch setup'. Idempotent: does nothing when all is there.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# package:why
NEEDED=(
  "dpdk:DPDK runtime and poll-mode drivers"
  "libdpdk-dev:DPDK headers and pkg-config, to build the C shim"
  "dpdk-dev:dpdk-testpmd, the traffic source and sink of the tests"
  "gcc:compiles the C shim"
  "pkg-config:finds DPDK's build flags"
  "maven:builds the Java modules"
  "iproute2:network namespaces, veth, TAP for tests and the demo; tc for the kernel fast path"
  "iputils-ping:ping for tests and the demo"
  "tshark:captures of the underlay in the overlay test (the wire format as a third party decodes it)"
  "iperf3:TCP throughput in the performance harness's kernel scenarios (perf/kernel.sh)"
  "python3:small helpers of the performance harness (pcap files, control-socket client)"
  "fontconfig:fonts for the harness's PNG charts (Java2D needs fontconfig to draw text)"
  "fonts-dejavu-core:the font the charts are drawn with"
  "ethtool:veth ports turn GRO on at the endpoint, and the harness reports the endpoints' offload state"
  "libssl-dev:OpenSSL headers for the shim's AES-GCM"
  "openssl:makes test certificates"
)
missing=(); why=()
for entry in "${NEEDED[@]}"; do
  pkg=${entry%%:*}
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg"); why+=("  $pkg: ${entry#*:}")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "prepare-host: missing packages ${missing[*]}: run this script as root to install them" >&2; exit 1; }
  echo "prepare-host: installing ${#missing[@]} package(s):"; printf '%s\n' "${why[@]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
free=$(awk '$1 == "HugePages_Free:" {print $2}' /proc/meminfo)
if [ "${free:-0}" -lt 256 ] || ! awk '$3 == "hugetlbfs" {f=1} END {exit !f}' /proc/mounts; then
  if [ "$(id -u)" = 0 ]; then
    echo "prepare-host: reserving hugepages"
    bash "$HERE/hugepages.sh" "${VS_HUGEPAGES:-512}"
  else
    echo "prepare-host: hugepages missing: run 'sudo $HERE/hugepages.sh'" >&2; exit 1
  fi
fi
