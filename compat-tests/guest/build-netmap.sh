#!/bin/sh
# build-netmap.sh OUT: netmap.ko and pkt-gen from ../shared/netmap's source archive, for the test
# guest's kernel (Debian's linux-image-amd64, headers from linux-headers-amd64), built under OUT
# (build/guest/netmap). The source is extracted there, never into the repository. Configure line:
# ../shared/netmap/README.md (core only: generic adapter, VALE, pipes, monitors; no NIC drivers).
set -e
cd "$(dirname "$0")/../.."
OUT=$1
ARCHIVE=$(ls ../shared/netmap/netmap-*.tar.xz 2>/dev/null | head -1)
[ -n "$ARCHIVE" ] || { echo "build-netmap: no netmap archive in ../shared/netmap" >&2; exit 1; }
KVER=$(sh compat-tests/guest/kernel-version.sh)
rm -rf "$OUT"
mkdir -p "$OUT"
tar -C "$OUT" -xJf "$ARCHIVE"
cd "$OUT/netmap/LINUX"
./configure --kernel-dir="/usr/src/linux-headers-$KVER" --no-drivers --apps=pkt-gen --no-utils >../../configure.log 2>&1 ||
	{ tail -20 ../../configure.log >&2; exit 1; }
make -j2 >../../make.log 2>&1 || { tail -30 ../../make.log >&2; exit 1; }
cd ../..
cp netmap/LINUX/netmap.ko netmap.ko
cp "$(find netmap -name pkt-gen -type f -perm -u+x | head -1)" pkt-gen
echo "$KVER" >kernel-version
