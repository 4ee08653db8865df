#!/bin/sh
# The library on other CPUs and on real kernels: (1) qemu-x86_64 user mode runs tcpdump -r on our
# library as older CPU models (no AVX, no AVX-512) and must print what the native run prints;
# (2) the test guest (compat-tests/guest/README.md) boots Debian's kernel with netmap.ko built from
# ../shared/netmap under qemu and runs compat-tests/guest/checks/ on build/lib/libpcap.so.1; its
# PASS/FAIL/SKIP lines are relayed here. The guest has no network device: nothing it does reaches
# the host's interfaces.
cd "$(dirname "$0")/../.." || exit 1
LIB=$PWD/build/lib/libpcap.so.1
SAMPLE=$PWD/build/sample.pcap
GUEST_SECONDS=${GUEST_SECONDS:-600}

# (1) Older CPU models in user mode. qemu itself runs without our library; the program inside gets it.
if ! command -v qemu-x86_64 >/dev/null; then
	echo "SKIP cpu-model-nehalem: qemu-x86_64 not installed (Debian package qemu-user)"
	echo "SKIP cpu-model-core2duo: qemu-x86_64 not installed (Debian package qemu-user)"
else
	native=$(LD_PRELOAD=$LIB tcpdump -nn -r "$SAMPLE" 2>&1)
	for cpu in Nehalem core2duo; do
		name=cpu-model-$(echo $cpu | tr 'A-Z' 'a-z')
		got=$(env -u LD_PRELOAD timeout 300 qemu-x86_64 -cpu $cpu -E LD_PRELOAD="$LIB" "$(command -v tcpdump)" -nn -r "$SAMPLE" 2>&1)
		version=$(env -u LD_PRELOAD timeout 300 qemu-x86_64 -cpu $cpu -E LD_PRELOAD="$LIB" "$(command -v tcpdump)" --version 2>&1)
		if [ -n "$native" ] && [ "$got" = "$native" ] && echo "$version" | grep -q "Pcap: C# NativeAOT"; then
			echo "PASS $name"
		else
			echo "FAIL $name: tcpdump -r on our library as a $cpu printed: $(echo "$got" | head -c 300)"
		fi
	done
fi

# (2) The test guest.
GUEST_CHECKS=$(sed -n 's/^check \(guest-[a-z0-9-]*\) .*/\1/p' compat-tests/guest/checks/*.sh | sort -u)
skip_guest() {
	echo "SKIP guest-boots: $1"
	for t in $GUEST_CHECKS; do echo "SKIP $t: $1"; done
	exit 0
}
ls ../shared/netmap/netmap-*.tar.xz >/dev/null 2>&1 || skip_guest "../shared/netmap (netmap's source) is absent"
command -v qemu-system-x86_64 >/dev/null || skip_guest "qemu-system-x86_64 not installed (Debian package qemu-system-x86)"
sh compat-tests/guest/kernel-version.sh >/dev/null || skip_guest "no Debian amd64 kernel with headers (linux-image-amd64, linux-headers-amd64)"

if ! make -s guest-image >build/guest-image.log 2>&1; then
	echo "FAIL guest-image: building netmap.ko or the initramfs failed: $(tail -5 build/guest-image.log | tr '\n' ' ')"
	exit 0
fi
LOG=build/guest/console-test.log
t0=$(date +%s)
sh compat-tests/guest/run-guest.sh test "$LOG" "$GUEST_SECONDS" 2>build/guest/run.err
rc=$?
echo "guest: $(cat build/guest/run.err) - $(($(date +%s) - t0)) s" >&2
grep -E '^(PASS|FAIL|SKIP) ' "$LOG"
if grep -q '^GUEST-START' "$LOG"; then echo "PASS guest-boots"; else echo "FAIL guest-boots: $(tail -c 1500 "$LOG")"; fi
if [ $rc = 0 ]; then
	echo "PASS guest-finishes"
else
	echo "FAIL guest-finishes: the guest did not finish within $GUEST_SECONDS s; its console:"
	tail -c 3000 "$LOG"
fi
want=$(sha256sum "$LIB" | cut -d' ' -f1)
got=$(sed -n 's/^GUEST-LIBRARY //p' "$LOG")
if [ "$got" = "$want" ]; then
	echo "PASS guest-runs-the-built-library"
else
	echo "FAIL guest-runs-the-built-library: the guest ran ${got:-nothing}, build/lib/libpcap.so.1 is $want"
fi
# A check the guest never reported (a script died half-way) is a failure, not silence.
for t in $GUEST_CHECKS; do
	grep -qE "^(PASS|FAIL|SKIP) $t(:|\$)" "$LOG" || echo "FAIL $t: the guest did not report it"
done
