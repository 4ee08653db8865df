#!/bin/sh
# make-initramfs.sh OUT.cpio.gz FILE...: the test guest's initramfs. Holds busybox (busybox-static),
# the host programs of programs.txt with their shared libraries, the modules of modules.txt (and
# their dependencies) for the kernel kernel-version.sh names, our build/lib/libpcap.so.1 under
# /pcap/lib, every FILE given (test programs, captures) under /test, the guest scripts (init.sh,
# checks/, bench/guest/*.sh) and the serial-console init. See README.md beside this file.
set -e
cd "$(dirname "$0")/../.."
OUT=$1
shift
KVER=$(sh compat-tests/guest/kernel-version.sh)
ROOT=build/guest/root
rm -rf "$ROOT"
mkdir -p "$ROOT"/bin "$ROOT"/sbin "$ROOT"/usr/bin "$ROOT"/usr/sbin "$ROOT"/usr/local/bin "$ROOT"/pcap/lib "$ROOT"/test "$ROOT"/modules "$ROOT"/checks "$ROOT"/bench \
	"$ROOT"/proc "$ROOT"/sys "$ROOT"/dev "$ROOT"/tmp "$ROOT"/run "$ROOT"/etc "$ROOT"/var/run

cp "$(command -v busybox)" "$ROOT/bin/busybox"
file "$ROOT/bin/busybox" | grep -q 'statically linked' || { echo "make-initramfs: busybox is not the static one (busybox-static)" >&2; exit 1; }

# A program and what it loads, at the paths the dynamic loader looks for them.
copy_libs() {
	ldd "$1" 2>/dev/null | awk '/=> \// {print $3} /^\t\/[^ ]* \(/ {print $1}' | while read -r lib; do
		[ -f "$ROOT$lib" ] && continue
		mkdir -p "$ROOT$(dirname "$lib")"
		cp -L "$lib" "$ROOT$lib"
	done
}
grep -v '^#' compat-tests/guest/programs.txt | while read -r prog; do
	[ -n "$prog" ] || continue
	cp -L "$prog" "$ROOT/usr/local/bin/"
	copy_libs "$prog"
done

cp build/lib/libpcap.so.1 "$ROOT/pcap/lib/libpcap.so.1"
ln -s libpcap.so.1 "$ROOT/pcap/lib/libpcap.so.0.8"
copy_libs build/lib/libpcap.so.1
for f in "$@"; do
	cp -L "$f" "$ROOT/test/"
	case $(file -b "$f") in *ELF*dynamic*) copy_libs "$f" ;; esac
done

# Modules: each with its dependencies first (modprobe's own order), uncompressed for busybox insmod.
: >"$ROOT/modules/order"
grep -v '^#' compat-tests/guest/modules.txt | while read -r m; do
	[ -n "$m" ] || continue
	case $m in
	*.ko) files=$m ;;
	*) files=$(modprobe -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" {print $2}') ;;
	esac
	for f in $files; do
		base=$(basename "$f" | sed 's/\.ko\..*$/.ko/')
		grep -qx "$base" "$ROOT/modules/order" && continue
		case $f in
		*.ko.xz) xz -dc "$f" >"$ROOT/modules/$base" ;;
		*.ko.zst) zstd -qdc "$f" >"$ROOT/modules/$base" ;;
		*) strip --strip-debug -o "$ROOT/modules/$base" "$f" ;;
		esac
		echo "$base" >>"$ROOT/modules/order"
	done
done

cp compat-tests/guest/init.sh "$ROOT/init"
chmod 755 "$ROOT/init"
cp compat-tests/guest/checks/*.sh "$ROOT/checks/"
cp bench/guest/*.sh "$ROOT/bench/"
echo "root:x:0:0:root:/:/bin/sh" >"$ROOT/etc/passwd"
echo "root:x:0:" >"$ROOT/etc/group"
: >"$ROOT/etc/nsswitch.conf"

(cd "$ROOT" && find . | cpio -o -H newc --quiet) | gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
