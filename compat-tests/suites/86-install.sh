#!/bin/sh
# make install / make uninstall: into a temporary PREFIX, a C program built with the installed
# libpcap.pc (pkg-config) and with the installed pcap-config runs on our library (and the same
# source built with the system's pkg-config on Debian's); uninstall leaves nothing; a DESTDIR
# install writes only under DESTDIR; install refuses to write over another libpcap.
cd "$(dirname "$0")/../.." || exit 1
W=$(mktemp -d /tmp/install-test.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM
P=$W/prefix
SRC=compat-tests/install/version.c
SAMPLE=build/sample.pcap
command -v pkg-config >/dev/null || { echo "SKIP install: pkg-config not installed"; exit 0; }

want=$(tcpdump -r "$SAMPLE" 2>/dev/null | wc -l)
if ! make -s install PREFIX="$P" >"$W/install.log" 2>&1; then
	echo "FAIL install: make install failed: $(tail -5 "$W/install.log" | tr '\n' ' ')"
	exit 0
fi
lib=$(readlink -f "$P/lib/pcap-cs/libpcap.so.1")

# Builds SRC with the flags FLAGS-COMMAND prints and runs it; name: install-NAME.
built_runs() { # NAME FLAGS
	name=$1
	shift
	if ! cc -o "$W/$name" "$SRC" "$@" 2>"$W/$name.err"; then
		echo "FAIL install-$name: build failed: $(head -c 300 "$W/$name.err")"
		return
	fi
	out=$("$W/$name" "$SAMPLE" 2>&1)
	loaded=$(ldd "$W/$name" | awk '/libpcap/ {print $3}')
	if echo "$out" | grep -q "Pcap: C# NativeAOT" && echo "$out" | grep -q "^$want packets" && [ "$(readlink -f "$loaded")" = "$lib" ]; then
		echo "PASS install-$name"
	else
		echo "FAIL install-$name: loads ${loaded:-nothing} (want $lib), printed: $(echo "$out" | head -c 200)"
	fi
}
# shellcheck disable=SC2046
built_runs pkg-config $(PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --cflags --libs libpcap)
# shellcheck disable=SC2046
built_runs pcap-config $("$P/bin/pcap-config" --cflags) $("$P/bin/pcap-config" --libs)

# The same program built with the system's flags runs on Debian's libpcap: the install changed no
# other program's library.
# shellcheck disable=SC2046
cc -o "$W/system" "$SRC" $(pkg-config --cflags --libs libpcap) 2>"$W/system.err"
sys=$("$W/system" "$SAMPLE" 2>&1)
if echo "$sys" | grep -q "^$want packets" && ! echo "$sys" | grep -q "Pcap: C#" && ! ldconfig -p | grep -q "$P"; then
	echo "PASS install-system-libpcap-untouched"
else
	echo "FAIL install-system-libpcap-untouched: $(echo "$sys" | head -c 200); ldconfig: $(ldconfig -p | grep "$P" | head -2)"
fi

# pcap-run from the prefix runs a program on the installed library.
out=$("$P/bin/pcap-run" "$W/system" "$SAMPLE" 2>&1)
if echo "$out" | grep -q "Pcap: C# NativeAOT" && echo "$out" | grep -q "^$want packets"; then
	echo "PASS install-pcap-run"
else
	echo "FAIL install-pcap-run: $(echo "$out" | head -c 200)"
fi

make -s uninstall PREFIX="$P" >"$W/uninstall.log" 2>&1
left=$(find "$P" ! -type d 2>/dev/null | head -5)
if [ -z "$left" ]; then
	echo "PASS install-uninstall-leaves-nothing"
else
	echo "FAIL install-uninstall-leaves-nothing: $left"
fi

# DESTDIR: everything lands under it, the files name the final PREFIX.
D=$W/dest
make -s install DESTDIR="$D" PREFIX=/opt/pcap-test >"$W/dest.log" 2>&1
files=$(cd "$D" && find . ! -type d | sort | tr '\n' ' ')
expect="./opt/pcap-test/bin/pcap-config ./opt/pcap-test/bin/pcap-run ./opt/pcap-test/lib/pcap-cs/libpcap.so ./opt/pcap-test/lib/pcap-cs/libpcap.so.0.8 ./opt/pcap-test/lib/pcap-cs/libpcap.so.1 ./opt/pcap-test/lib/pkgconfig/libpcap.pc "
if [ "$files" = "$expect" ] && grep -q "^libdir=/opt/pcap-test/lib/pcap-cs$" "$D/opt/pcap-test/lib/pkgconfig/libpcap.pc" && [ ! -e /opt/pcap-test ]; then
	echo "PASS install-destdir"
else
	echo "FAIL install-destdir: installed $files $(tail -3 "$W/dest.log")"
fi

# Another libpcap where ours would go is never overwritten.
mkdir -p "$W/other/lib/pcap-cs"
cp -L "$(pkg-config --variable=libdir libpcap)/libpcap.so.0.8" "$W/other/lib/pcap-cs/libpcap.so.0.8"
sum=$(sha256sum <"$W/other/lib/pcap-cs/libpcap.so.0.8")
make -s install PREFIX="$W/other" >"$W/other.log" 2>&1
rc=$?
if [ $rc != 0 ] && [ "$(sha256sum <"$W/other/lib/pcap-cs/libpcap.so.0.8")" = "$sum" ] && grep -q "another libpcap" "$W/other.log"; then
	echo "PASS install-refuses-other-libpcap"
else
	echo "FAIL install-refuses-other-libpcap: rc $rc, $(tail -2 "$W/other.log")"
fi
