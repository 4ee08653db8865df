#!/bin/busybox sh
# The test guest's init (PID 1): mounts, loads the modules, runs every script of /checks (or /bench
# with pcap.mode=bench on the kernel command line) and powers off. Everything a script prints goes
# to the serial console, which the host reads (compat-tests/suites/85-guest.sh, bench/guest/run.sh).
/bin/busybox --install -s
export PATH=/usr/local/bin:/test:/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/ TMPDIR=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
echo "GUEST-START $(uname -r)"
for m in $(cat /modules/order); do
	insmod "/modules/$m" || echo "FAIL guest-module-$m: insmod failed"
done
mode=test
only=$(sed -n "s/.*pcap.only=\([0-9a-z-]*\).*/\1/p" /proc/cmdline) # a script prefix: run only those
case $(cat /proc/cmdline) in *pcap.mode=bench*) mode=bench ;; *pcap.mode=probe*) mode=probe ;; esac
case $mode in
test) for f in /checks/${only:-[0-9]}*.sh; do timeout 400 sh "$f" 2>&1; done ;;
bench) for f in /bench/[0-9]*.sh; do timeout 400 sh "$f" 2>&1; done ;;
esac
echo "GUEST-END"
sync
poweroff -f
