# usbmon (libpcap's pcap-usb-linux.c, memory-mapped): qemu's xhci controller with a keyboard that has
# no driver, so the bus is quiet but for what a check does. Activation on usbmonN (N > 0) asks every
# device of bus N for its descriptors (libpcap's probe_devices), so each library's own capture on
# usbmon1 sees 12 events (3 control transfers, submission and completion, to the root hub and the
# keyboard), and a capture on usbmon0 sees them when another program opens usbmon1.
. /checks/lib.sh
OURS="env LD_PRELOAD=/pcap/lib/libpcap.so.1" # for timeout, which runs programs, not functions
api=$T/sources-api
# norm: the URB id (kernel address) and the time stamp of each event masked; everything else as captured.
norm() { awk '/^P /{h=$4; $4=substr(h,1,0) "id" substr(h,17,16) "ts" substr(h,57)} {print}' "$1"; }
# same NAME: $W/NAME.sys and $W/NAME.ours print alike (normalised), with PACKETS packets at least.
same() {
	norm $W/$1.sys >$W/$1.sys.n
	norm $W/$1.ours >$W/$1.ours.n
	n=$(grep -c '^P ' $W/$1.sys.n)
	check guest-$1 "[ $n -ge $2 ] && cmp -s $W/$1.sys.n $W/$1.ours.n" \
		"$n packets on the system libpcap; $(diff $W/$1.sys.n $W/$1.ours.n | head -4 | tr '\n' ' ')"
}
tcpdump -D 2>&1 | grep usbmon | sed 's/^[0-9]*\.//' >$W/usb-D.sys
ours tcpdump -D 2>&1 | grep usbmon | sed 's/^[0-9]*\.//' >$W/usb-D.ours
check guest-usb-findalldevs "grep -q 'usbmon0.*(Raw USB traffic, all USB buses)' $W/usb-D.sys && grep -q 'usbmon1 ' $W/usb-D.sys && cmp -s $W/usb-D.sys $W/usb-D.ours" \
	"$(cat $W/usb-D.sys | tr '\n' ' ') / $(cat $W/usb-D.ours | tr '\n' ' ')"
# Each library captures its own probe of bus 1: link type, snapshot, buffer size, direction,
# inject's refusal, the 12 events byte for byte, pcap_stats.
timeout 30 $api usbmon1 12 -x 0000 >$W/usb-probe.sys 2>/dev/null
timeout 30 $OURS $api usbmon1 12 -x 0000 >$W/usb-probe.ours 2>/dev/null
same usb-probe 12
timeout 30 $api usbmon1 12 -m next >$W/usb-next.sys 2>/dev/null
timeout 30 $OURS $api usbmon1 12 -m next >$W/usb-next.ours 2>/dev/null
same usb-next 12
# A user-space filter: completions only ('C' in the event type).
timeout 30 $api usbmon1 6 -f 'link[8] = 0x43' >$W/usb-filter.sys 2>/dev/null
timeout 30 $OURS $api usbmon1 6 -f 'link[8] = 0x43' >$W/usb-filter.ours 2>/dev/null
same usb-filter 6
# A snapshot shorter than the header and data: the data cut, the wire length kept.
timeout 30 $api usbmon1 12 -s 70 >$W/usb-snaplen.sys 2>/dev/null
timeout 30 $OURS $api usbmon1 12 -s 70 >$W/usb-snaplen.ours 2>/dev/null
same usb-snaplen 12
# Non-blocking mode: reads return 0 until events are there.
timeout 30 $api usbmon1 12 -n -m dispatch >$W/usb-nonblock.sys 2>/dev/null
timeout 30 $OURS $api usbmon1 12 -n -m dispatch >$W/usb-nonblock.ours 2>/dev/null
same usb-nonblock 12
# pcap_breakloop from a signal while the read waits on a quiet bus: -2 and the stats of the 12.
timeout 30 $api usbmon1 100 -e 2 >$W/usb-signal.sys 2>/dev/null
timeout 30 $OURS $api usbmon1 100 -e 2 >$W/usb-signal.ours 2>/dev/null
same usb-signal 12
# pcap_breakloop from the callback: libpcap flushes the events fetched with the first and loses
# them; ours leaves them in the ring, so the next reads deliver all 12 (ours alone).
timeout 30 $OURS $api usbmon1 12 -b >$W/usb-break.ours 2>/dev/null
check guest-usb-breakloop-keeps-events "[ \$(grep -c '^P ' $W/usb-break.ours) = 12 ] && grep -q '^loop -2' $W/usb-break.ours" \
	"$(grep -c '^P ' $W/usb-break.ours) packets: $(grep -v '^P ' $W/usb-break.ours | tr '\n' ' ')"
# The read timeout (ours alone: libpcap's read waits for an event whatever the timeout): a
# dispatch on a quiet bus returns 0 after it, and the program ends by its alarm.
timeout 30 $OURS $api usbmon2 1 -m dispatch -t 200 -e 2 -f 'link[8] = 0x45' >$W/usb-timeout.ours 2>/dev/null
check guest-usb-timeout "grep -q '^dispatch -2' $W/usb-timeout.ours && grep -q '^stats 0 0 0' $W/usb-timeout.ours" \
	"$(tr '\n' ' ' <$W/usb-timeout.ours)"
# tcpdump on every bus while another program opens usbmon1 (its probe is the traffic).
for lib in sys ours; do
	run=""
	[ $lib = ours ] && run=$OURS
	rm -f $W/usb0.$lib.err
	timeout 40 $run tcpdump -Z root -i usbmon0 -c 12 -w $W/usb0.$lib.pcap 2>$W/usb0.$lib.err &
	pid=$!
	listening $W/usb0.$lib.err
	timeout 10 $api usbmon1 1 >/dev/null 2>&1
	wait $pid
	tcpdump -Z root -r $W/usb0.$lib.pcap -nn -t 2>/dev/null | sed -E 's/^[0-9a-f]{16} //; s/ffff[0-9a-f]{12}/URB/g' >$W/usb0.$lib.txt
done
check guest-usb-tcpdump-usbmon0 "[ \$(wc -l <$W/usb0.sys.txt) = 12 ] && cmp -s $W/usb0.sys.txt $W/usb0.ours.txt" \
	"$(wc -l <$W/usb0.sys.txt) lines on the system libpcap; $(diff $W/usb0.sys.txt $W/usb0.ours.txt | head -4 | tr '\n' ' ') $(tail -1 $W/usb0.ours.err)"
check guest-usb-tcpdump-linktype "tcpdump -Z root -r $W/usb0.ours.pcap 2>&1 | grep -q 'USB_LINUX_MMAPPED'" \
	"$(tcpdump -Z root -r $W/usb0.ours.pcap 2>&1 | head -1)"
# Without permission (user 65534): libpcap's PCAP_ERROR_PERM_DENIED and text for the device node.
timeout 20 $T/as-nobody $api usbmon0 1 >$W/usb-nobody.sys 2>&1
timeout 20 $T/as-nobody env LD_PRELOAD=/pcap/lib/libpcap.so.1 $api usbmon0 1 >$W/usb-nobody.ours 2>&1
check guest-usb-no-permission "grep -qx 'activate -8 Attempt to open /dev/usbmon0 failed with EACCES - root privileges may be required' $W/usb-nobody.sys && cmp -s $W/usb-nobody.sys $W/usb-nobody.ours" \
	"$(head -1 $W/usb-nobody.sys) / $(head -1 $W/usb-nobody.ours)"
# dumpcap (select() on the selectable descriptor, one read per wake-up) on its own probe of bus 1.
for lib in sys ours; do
	run=""
	[ $lib = ours ] && run=$OURS
	timeout 30 $run dumpcap -q -i usbmon1 -c 12 -w $W/usb-dumpcap.$lib.pcapng >$W/usb-dumpcap.$lib.err 2>&1
	tcpdump -Z root -r $W/usb-dumpcap.$lib.pcapng -nn -t 2>/dev/null | sed -E 's/^[0-9a-f]{16} //; s/ffff[0-9a-f]{12}/URB/g' >$W/usb-dumpcap.$lib.txt
done
check guest-usb-dumpcap "[ \$(wc -l <$W/usb-dumpcap.sys.txt) = 12 ] && cmp -s $W/usb-dumpcap.sys.txt $W/usb-dumpcap.ours.txt" \
	"$(wc -l <$W/usb-dumpcap.sys.txt) packets on the system libpcap, $(wc -l <$W/usb-dumpcap.ours.txt) on ours: $(head -c 200 $W/usb-dumpcap.ours.err)"
