# Bluetooth (libpcap's pcap-bt-linux.c and pcap-bt-monitor-linux.c) with hci_vhci: each open of
# /dev/vhci that writes a vendor packet (0xff, then 0: a primary controller) makes an adapter hciN,
# listed as bluetoothN. An adapter stays down until a check brings it up and answers its first
# command; the monitor channel sees the kernel's notes and the adapters' indexes at
# bind, and a new adapter's index when one is made.
. /checks/lib.sh
OURS="env LD_PRELOAD=/pcap/lib/libpcap.so.1" # for timeout, which runs programs, not functions
api=$T/sources-api
# vhci N: holds /dev/vhci open on descriptor N (an adapter as long as the script runs).
exec 5<>/dev/vhci
printf '\377\000' >&5
sleep 0.5
same() { # NAME PACKETS: $W/NAME.sys and $W/NAME.ours alike, with PACKETS packets at least
	n=$(grep -c '^P ' $W/$1.sys)
	check guest-$1 "[ $n -ge $2 ] && cmp -s $W/$1.sys $W/$1.ours" \
		"$n packets on the system libpcap; $(diff $W/$1.sys $W/$1.ours | head -4 | tr '\n' ' ')"
}
tcpdump -D 2>&1 | grep -i bluetooth | sed 's/^[0-9]*\.//' >$W/bt-D.sys
ours tcpdump -D 2>&1 | grep -i bluetooth | sed 's/^[0-9]*\.//' >$W/bt-D.ours
check guest-bluetooth-findalldevs "grep -q 'bluetooth0 (Bluetooth adapter number 0)' $W/bt-D.sys && grep -q bluetooth-monitor $W/bt-D.sys && cmp -s $W/bt-D.sys $W/bt-D.ours" \
	"$(tr '\n' ' ' <$W/bt-D.sys) / $(tr '\n' ' ' <$W/bt-D.ours)"
# The adapter: link type, buffer size, direction, inject's refusal, a read ended by a signal, and
# the adapter's counters through pcap_stats.
timeout 20 $api bluetooth0 1 -e 1 -x 01030c00 >$W/bt-adapter.sys 2>&1
timeout 20 $OURS $api bluetooth0 1 -e 1 -x 01030c00 >$W/bt-adapter.ours 2>&1
same bt-adapter 0
check guest-bt-adapter-activates "grep -q '^activate 0' $W/bt-adapter.sys && grep -q '^datalink 201' $W/bt-adapter.ours" "$(head -2 $W/bt-adapter.ours | tr '\n' ' ')"
timeout 20 $api bluetooth7 1 >$W/bt-absent.sys 2>&1
timeout 20 $OURS $api bluetooth7 1 >$W/bt-absent.ours 2>&1
same bt-absent 0
# The monitor: what the kernel sends at bind (notes, the adapter's index), byte for byte but the
# time stamps; then a second adapter made while capturing.
timeout 20 $api bluetooth-monitor 100 -e 1 -x 00 >$W/btmon-bind.sys 2>&1
timeout 20 $OURS $api bluetooth-monitor 100 -e 1 -x 00 >$W/btmon-bind.ours 2>&1
same btmon-bind 2
for lib in sys ours; do
	run=""
	[ $lib = ours ] && run=$OURS
	rm -f $W/btmon-new.$lib.err
	timeout 20 $run $api bluetooth-monitor 100 -e 3 >$W/btmon-new.$lib 2>$W/btmon-new.$lib.err &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q ready $W/btmon-new.$lib.err 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	# A new adapter for the duration of this capture (closed again below: the index comes back).
	exec 6<>/dev/vhci
	printf '\377\000' >&6
	wait $pid
	exec 6>&-
	sleep 0.3
done
same btmon-new 3
check guest-btmon-new-index "[ \$(grep -c '^P ' $W/btmon-new.ours) -gt \$(grep -c '^P ' $W/btmon-bind.ours) ]" \
	"$(grep -c '^P ' $W/btmon-new.ours) packets with a new adapter, $(grep -c '^P ' $W/btmon-bind.ours) without"
for lib in sys ours; do
	run=""
	[ $lib = ours ] && run=$OURS
	timeout 20 $run tcpdump -Z root -i bluetooth-monitor -c 3 -w $W/btmon.$lib.pcap 2>$W/btmon.$lib.err
	tcpdump -Z root -r $W/btmon.$lib.pcap -t -x 2>&1 | sed "s|$W/btmon.$lib.pcap|FILE|" >$W/btmon.$lib.txt
done
check guest-btmon-tcpdump "grep -q BLUETOOTH_LINUX_MONITOR $W/btmon.ours.txt && cmp -s $W/btmon.sys.txt $W/btmon.ours.txt" \
	"$(diff $W/btmon.sys.txt $W/btmon.ours.txt | head -4 | tr '\n' ' ')"
# An adapter brought up (HCIDEVUP): the kernel's first command, HCI_Reset, is read from /dev/vhci
# and its Command Complete written back. The program asks for incoming packets only
# (pcap_setdirection PCAP_D_IN), so each library sees the answer alone, direction 1 in the
# pseudo-header. Each library gets an adapter of its own (pcap_stats reads the adapter's counters).
for lib in sys ours; do
	run=""
	[ $lib = ours ] && run=$OURS
	exec 7<>/dev/vhci
	printf '\377\000' >&7
	timeout 10 dd bs=1024 count=1 <&7 >/dev/null 2>&1 # the vendor packet naming the new adapter
	id=$(ls /sys/class/bluetooth | sed -n 's/^hci//p' | sort -n | tail -1)
	rm -f $W/bt-up.$lib.err
	timeout 20 $run $api bluetooth$id 1 -e 8 >$W/bt-up.$lib.raw 2>$W/bt-up.$lib.err &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q ready $W/bt-up.$lib.err 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	timeout 20 $T/hci-up $id >$W/bt-up.$lib.hciup 2>&1 &
	up=$!
	timeout 10 dd bs=1024 count=1 <&7 2>/dev/null | od -An -tx1 | tr -d ' \n' >$W/bt-up.$lib.cmd
	printf '\004\016\004\001\003\014\000' >&7
	wait $pid
	wait $up
	exec 7>&-
	grep -v '^stats' $W/bt-up.$lib.raw >$W/bt-up.$lib
	sleep 0.3
done
same bt-up 1
check guest-bt-up-direction "[ \$(cat $W/bt-up.ours.cmd) = 01030c00 ] && grep -qx 'P 11 11 00000001040e0401030c00' $W/bt-up.ours && grep -Eq '^stats [1-9][0-9]* 0 0' $W/bt-up.ours.raw" \
	"command $(cat $W/bt-up.ours.cmd); $(tr '\n' ' ' <$W/bt-up.ours.raw) $(cat $W/bt-up.ours.hciup)"
# Without permission (user 65534, no capabilities): the monitor channel refuses the bind; an
# adapter's raw socket is let in (the kernel narrows its filter).
for dev in bluetooth-monitor bluetooth0; do
	timeout 20 $T/as-nobody $api $dev 1 -e 1 >$W/bt-nobody-$dev.sys 2>&1
	timeout 20 $T/as-nobody env LD_PRELOAD=/pcap/lib/libpcap.so.1 $api $dev 1 -e 1 >$W/bt-nobody-$dev.ours 2>&1
	same bt-nobody-$dev 0
done
check guest-btmon-no-permission "grep -qx 'activate -1 Can.t attach to interface: Operation not permitted' $W/bt-nobody-bluetooth-monitor.ours" \
	"$(head -1 $W/bt-nobody-bluetooth-monitor.ours)"
exec 5>&-
