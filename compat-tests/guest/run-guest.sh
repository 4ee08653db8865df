#!/bin/sh
# run-guest.sh MODE CONSOLE-LOG SECONDS: boots the test guest (Debian's kernel, the initramfs
# build/guest/initramfs.cpio.gz) in mode test, bench or probe and writes its serial console to
# CONSOLE-LOG. No network device (-nic none): nothing reaches the host's interfaces; the guest
# makes its own veth pairs. KVM when a probe guest boots under it (cached in build/guest/accel),
# TCG otherwise. qemu is killed after SECONDS. Exit status 0 when the guest reached its end.
cd "$(dirname "$0")/../.." || exit 1
MODE=$1
LOG=$2
LIMIT=$3
KVER=$(cat build/guest/netmap/kernel-version)
IMAGE=build/guest/initramfs.cpio.gz

boot() { # ACCEL CPU MODE LOG SECONDS
	timeout -k 5 "$5" qemu-system-x86_64 -accel "$1" -cpu "$2" -m 2048 -smp 2 \
		-kernel "/boot/vmlinuz-$KVER" -initrd "$IMAGE" \
		-append "console=ttyS0 quiet loglevel=1 panic=-1 pcap.mode=$3${GUEST_ONLY:+ pcap.only=$GUEST_ONLY}" \
		-device qemu-xhci,id=xhci -device usb-kbd,bus=xhci.0 \
		-nic none -display none -monitor none -serial "file:$4" -no-reboot </dev/null >/dev/null 2>&1
}

# KVM's CPU is given an older model (no AVX-512) so the no-AVX-512 check holds there too.
if [ ! -f build/guest/accel ]; then
	accel="tcg max"
	if [ -w /dev/kvm ] && [ "${GUEST_ACCEL:-}" != tcg ]; then
		boot kvm Nehalem probe build/guest/probe.log 20
		grep -q GUEST-END build/guest/probe.log 2>/dev/null && accel="kvm Nehalem"
	fi
	echo "$accel" >build/guest/accel
fi
read -r accel cpu <build/guest/accel
echo "guest: $accel, cpu $cpu, kernel $KVER" >&2
boot "$accel" "$cpu" "$MODE" "$LOG" "$LIMIT"
tr -d '\r' <"$LOG" >"$LOG.txt" && mv "$LOG.txt" "$LOG"
grep -q '^GUEST-END' "$LOG"
