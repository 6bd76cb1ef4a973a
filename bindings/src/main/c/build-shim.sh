#!/usr/bin/env bash
# Builds libvanswitch_shim.so: DPDK's static inline fast-path functions (and OpenSSL's AES-GCM for
# federation frames, in one call per frame) made callable from Java.
set -euo pipefail
OUT=${1:?output directory}
DIR=$(cd "$(dirname "$0")" && pwd)
SRC="$DIR/vanswitch_shim.c $DIR/vs_packet_port.c $DIR/vs_offload.c"
command -v gcc >/dev/null || { echo "build-shim: gcc not found: apt-get install gcc (or run hugepage-setup/prepare-host.sh)" >&2; exit 1; }
command -v pkg-config >/dev/null || { echo "build-shim: pkg-config not found: apt-get install pkg-config (or run hugepage-setup/prepare-host.sh)" >&2; exit 1; }
pkg-config --exists libdpdk || { echo "build-shim: DPDK development files not found (pkg-config libdpdk): apt-get install libdpdk-dev (or run hugepage-setup/prepare-host.sh)" >&2; exit 1; }
# OpenSSL's libcrypto for the federation frames' AES-256-GCM (vs_aead_*)
pkg-config --exists libcrypto || [ -f /usr/include/openssl/evp.h ] || { echo "build-shim: OpenSSL development files not found (openssl/evp.h): apt-get install libssl-dev (or run hugepage-setup/prepare-host.sh)" >&2; exit 1; }
CRYPTO_CFLAGS=$(pkg-config --cflags libcrypto 2>/dev/null || true)
CRYPTO_LIBS=$(pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
mkdir -p "$OUT"
fresh=yes
for input in $SRC "$DIR/vs_packet_port.h" "$0"; do
    [ "$OUT/libvanswitch_shim.so" -nt "$input" ] || fresh=no
done
[ $fresh = yes ] && exit 0
# -march=corei7 matches Debian's DPDK build baseline; the inline functions are compiled here.
gcc -O2 -g -fPIC -shared -Wall -Werror -march=corei7 $(pkg-config --cflags libdpdk) $CRYPTO_CFLAGS \
    -o "$OUT/libvanswitch_shim.so" $SRC \
    -Wl,--no-as-needed $(pkg-config --libs libdpdk) -lrte_net_vhost -lrte_net_tap -lrte_net_ring -lrte_net_null -lrte_net_memif -lrte_net_af_packet -lrte_net_virtio \
    $CRYPTO_LIBS
echo "build-shim: built $OUT/libvanswitch_shim.so"
