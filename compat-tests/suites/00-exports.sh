#!/bin/sh
# The ABI contract: exactly libpcap's symbols, no versions, soname libpcap.so.0.8, no ICU.
cd "$(dirname "$0")/../.." || exit 1
if out=$(sh exports/check-exports.sh build/lib/libpcap.so.1); then echo "PASS exports-match-abi"; else echo "$out"; echo "FAIL exports-match-abi"; fi
deps=$(ldd build/lib/libpcap.so.1 | awk '{print $1}' | grep -vE '^(linux-vdso|/lib64/ld-linux|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libgcc_s\.so|libstdc\+\+\.so)' || true)
[ -z "$deps" ] && echo "PASS ldd-only-c-library" || echo "FAIL ldd-only-c-library: $deps"
