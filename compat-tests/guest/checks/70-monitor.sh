# Monitor mode on mac80211_hwsim (two radios on one channel: wlan0 and wlan1). Debian's libpcap
# 1.10.3 is built without libnl: it says pcap_can_set_rfmon 0 on wlan0 and refuses rfmon (the
# baseline), so where it has the behaviour it runs on monitor interfaces iw makes (wmon0 on
# wlan0's radio, wmon1 on wlan1's) while ours makes its own with tcpdump -I, as upstream libpcap
# with libnl does: the same frames, the same link types, the same refusals; nothing left behind
# after a close or a SIGKILL.
. /checks/lib.sh
if [ ! -e /sys/class/net/wlan0/phy80211 ] || [ ! -e /sys/class/net/wlan1/phy80211 ]; then
	fail guest-rfmon-hwsim "no wlan0/wlan1 after loading mac80211_hwsim: $(ls /sys/class/net | tr '\n' ' ')"
	exit 0
fi
ip link set lo up
MC=$T/monitor-client
TD="tcpdump -Z root"
# The monitor interfaces libpcap's naming makes (monN); hwsim0 and iw's wmonN are not among them.
monitors() { ls /sys/class/net | grep '^mon' | tr '\n' ' '; }
# Waits (up to 5 s) until no monN interface is left.
no_monitors() {
	i=0
	while [ $i -lt 50 ] && [ -n "$(monitors)" ]; do sleep 0.1; i=$((i + 1)); done
	[ -z "$(monitors)" ]
}

for d in wlan0 lo any; do
	$MC can-set $d >$W/cs-sys-$d 2>&1
	ours $MC can-set $d >$W/cs-ours-$d 2>&1
done
check guest-rfmon-can-set-wlan0 'grep -qx "can-set 1" $W/cs-ours-wlan0' "ours: $(cat $W/cs-ours-wlan0)"
check guest-rfmon-can-set-system-libpcap-without-libnl 'grep -qx "can-set 0" $W/cs-sys-wlan0' "libpcap: $(cat $W/cs-sys-wlan0)"
check guest-rfmon-can-set-not-wireless 'grep -qx "can-set 0" $W/cs-sys-lo && cmp -s $W/cs-sys-lo $W/cs-ours-lo && cmp -s $W/cs-sys-any $W/cs-ours-any' \
	"libpcap: $(cat $W/cs-sys-lo $W/cs-sys-any); ours: $(cat $W/cs-ours-lo $W/cs-ours-any)"

iw dev wlan0 interface add wmon0 type monitor && ip link set wmon0 up
iw dev wlan1 interface add wmon1 type monitor && ip link set wmon1 up
check guest-rfmon-iw-monitor-interfaces '[ -e /sys/class/net/wmon0 ] && [ -e /sys/class/net/wmon1 ]' "iw could not add monitor interfaces"

# pcap_findalldevs on the wireless devices (wlan0, wlan1, the radiotap devices hwsim0 and wmon0/1):
# the same entries and flags ("Wireless") on both libraries.
$TD -D 2>&1 | grep -E '\.(wlan|hwsim|wmon)' | sed 's/^[0-9]*\.//' | sort >$W/D-sys
ours $TD -D 2>&1 | grep -E '\.(wlan|hwsim|wmon)' | sed 's/^[0-9]*\.//' | sort >$W/D-ours
check guest-rfmon-findalldevs-wireless 'grep -q "wlan0.*Wireless" $W/D-sys && cmp -s $W/D-sys $W/D-ours' \
	"libpcap: $(cat $W/D-sys); ours: $(cat $W/D-ours)"

# Activation: ours with rfmon on wlan0, the system libpcap on iw's monitor interface: the radiotap
# link type and the same list of link types. On lo, rfmon is refused alike.
ours $MC activate wlan0 >$W/act-ours 2>&1
$MC activate wmon0 plain >$W/act-sys 2>&1
check guest-rfmon-activate-radiotap 'grep -qx "linktype 127 datalinks 127" $W/act-sys && cmp -s $W/act-sys $W/act-ours' \
	"libpcap on wmon0: $(cat $W/act-sys); ours: $(cat $W/act-ours)"
$MC activate lo >$W/act-sys-lo 2>&1
ours $MC activate lo >$W/act-ours-lo 2>&1
check guest-rfmon-activate-refused 'grep -q "^activate -6" $W/act-sys-lo && cmp -s $W/act-sys-lo $W/act-ours-lo' \
	"libpcap: $(cat $W/act-sys-lo); ours: $(cat $W/act-ours-lo)"
check guest-rfmon-close-removes 'no_monitors' "left after pcap_close: $(monitors)"

# tcpdump -I -L says "when in monitor mode" after the device name.
ours timeout 20 $TD -I -i wlan0 -L 2>&1 | sed 's/wlan0 when in monitor mode/wlan0/' >$W/L-ours
timeout 20 $TD -i wmon0 -L 2>&1 | sed 's/wmon0/wlan0/' >$W/L-sys
check guest-rfmon-tcpdump-L 'grep -q IEEE802_11_RADIO $W/L-sys && cmp -s $W/L-sys $W/L-ours' \
	"libpcap on wmon0: $(cat $W/L-sys); ours: $(cat $W/L-ours)"
# tcpdump -L exits without pcap_close (libpcap deletes its monN from an atexit handler; ours is
# deleted by the kernel with the socket that owns it).
check guest-rfmon-exit-without-close-removes 'no_monitors' "left after tcpdump -I -L: $(monitors)"
timeout 20 $TD -I -i lo -c 1 >/dev/null 2>$W/lo-sys
ours timeout 20 $TD -I -i lo -c 1 >/dev/null 2>$W/lo-ours
check guest-rfmon-tcpdump-refused 'grep -q "monitor mode" $W/lo-sys && cmp -s $W/lo-sys $W/lo-ours' \
	"libpcap: $(cat $W/lo-sys); ours: $(cat $W/lo-ours)"
timeout 20 $TD -I -i wlan0 -c 1 >/dev/null 2>$W/wlan-sys
check guest-rfmon-tcpdump-I-system-libpcap-without-libnl 'grep -q "monitor mode" $W/wlan-sys' "libpcap: $(cat $W/wlan-sys)"

# Frames injected on wlan1's radio, captured on wlan0's at once by ours (tcpdump -I -i wlan0) and by
# the system libpcap (tcpdump -i wmon0): the same bytes. The sender is ours in monitor mode on wlan1,
# then the system libpcap on wmon1.
N=5
for sender in ours sys; do
	rm -f $W/cap-*
	timeout 60 $TD -i wmon0 -c $N -w $W/cap-sys.pcap 2>$W/cap-sys.err &
	p1=$!
	ours timeout 60 $TD -I -i wlan0 -c $N -w $W/cap-ours.pcap 2>$W/cap-ours.err &
	p2=$!
	listening $W/cap-sys.err
	listening $W/cap-ours.err
	during=$(monitors)
	if [ $sender = ours ]; then ours $MC inject wlan1 $N >$W/inj.out 2>&1; else $MC inject wmon1 $N plain >$W/inj.out 2>&1; fi
	wait $p1
	wait $p2
	$TD -r $W/cap-sys.pcap -t -n -x >$W/cap-sys.txt 2>/dev/null
	$TD -r $W/cap-ours.pcap -t -n -x >$W/cap-ours.txt 2>/dev/null
	frames=$(grep -c 'length' $W/cap-ours.txt)
	check guest-rfmon-capture-sent-by-$sender '[ "$frames" = $N ] && grep -q "injected $N" $W/inj.out && cmp -s $W/cap-sys.txt $W/cap-ours.txt' \
		"$frames frames; sender: $(head -3 $W/inj.out); libpcap: $(head -c 300 $W/cap-sys.txt) $(cat $W/cap-sys.err); ours: $(head -c 300 $W/cap-ours.txt) $(cat $W/cap-ours.err)"
	check guest-rfmon-interface-during-capture-$sender '[ "$(echo $during | wc -w)" = 1 ]' "monitor interfaces while ours captured: $during"
	check guest-rfmon-interface-removed-after-capture-$sender 'no_monitors' "left: $(monitors)"
done
check guest-rfmon-capture-link-type 'grep -q "IEEE802_11_RADIO" $W/cap-ours.err' "$(cat $W/cap-ours.err)"

# SIGKILL of two capturing tcpdumps on one device (each gets its monN, named as libpcap names them):
# ours leaves no monitor interface (the kernel deletes the ones their sockets owned; upstream
# libpcap with libnl leaves its monN behind, deleted only by pcap_close or an atexit handler).
# (LD_PRELOAD on the command itself: $! is then tcpdump, not a subshell running ours.)
LD_PRELOAD=/pcap/lib/libpcap.so.1 $TD -I -i wlan0 -w /dev/null 2>$W/kill-ours1.err &
p1=$!
listening $W/kill-ours1.err
LD_PRELOAD=/pcap/lib/libpcap.so.1 $TD -I -i wlan0 -w /dev/null 2>$W/kill-ours2.err &
p2=$!
listening $W/kill-ours2.err
before=$(monitors)
kill -9 $p1 $p2
wait $p1 2>/dev/null
wait $p2 2>/dev/null
check guest-rfmon-two-handles-mon0-mon1 '[ "$before" = "mon0 mon1 " ]' "monitor interfaces of two captures: $before"
check guest-rfmon-sigkill-leaves-nothing '[ -n "$before" ] && no_monitors' "before: $before; left: $(monitors)"
iw dev wmon0 del
iw dev wmon1 del
