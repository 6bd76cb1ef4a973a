#!/usr/bin/env bash
# Reserves 2 MB hugepages and mounts hugetlbfs for DPDK.
#   hugepage-setup/hugepages.sh [PAGES]   reserve at least PAGES pages (default 512 = 1 GiB), mount if needed
#   hugepage-setup/hugepages.sh --check   print what is there and what is missing; exit 1 if unusable
set -uo pipefail
MOUNT=/dev/hugepages
meminfo() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; }
mounted() { awk '$3 == "hugetlbfs" {found=1} END {exit !found}' /proc/mounts; }

check() {
  local total free size ok=0
  total=$(meminfo HugePages_Total); free=$(meminfo HugePages_Free); size=$(meminfo Hugepagesize)
  echo "hugepages: ${total:-0} reserved, ${free:-0} free, ${size:-?} kB each ($(( ${free:-0} * ${size:-0} / 1024 )) MB free)"
  if mounted; then
    echo "hugetlbfs: mounted at $(awk '$3 == "hugetlbfs" {print $2; exit}' /proc/mounts)"
  else
    echo "hugetlbfs: MISSING: not mounted (run $0 as root to mount it at $MOUNT)"; ok=1
  fi
  if [ "${free:-0}" -lt 128 ]; then
    echo "free hugepages: MISSING: fewer than 128 free pages (256 MB), the daemon's default --mem (run $0 [PAGES] as root)"; ok=1
  fi
  return $ok
}

case "${1:-}" in
  --check) check; exit $? ;;
  -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
PAGES=${1:-512}
[[ "$PAGES" =~ ^[0-9]+$ ]] || { echo "hugepages.sh: PAGES must be a number, got '$PAGES'" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "hugepages.sh: must run as root to reserve hugepages" >&2; exit 1; }
total=$(meminfo HugePages_Total)
if [ "${total:-0}" -lt "$PAGES" ]; then
  echo "$PAGES" > /proc/sys/vm/nr_hugepages
  got=$(meminfo HugePages_Total)
  [ "$got" -ge "$PAGES" ] || echo "hugepages.sh: asked for $PAGES pages, the kernel gave $got (memory fragmented? try after a reboot or ask for fewer)" >&2
fi
if ! mounted; then
  mkdir -p $MOUNT && mount -t hugetlbfs nodev $MOUNT || { echo "hugepages.sh: cannot mount hugetlbfs at $MOUNT" >&2; exit 1; }
fi
check
