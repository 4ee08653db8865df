# Offline readers over every capture of tcpdump's regression corpus (sourced by 22-clients.sh).
corpus=$root/../shared/compat/tcpdump-4.99.3/tests
# Captures on whose link type our filter compiler refuses link-layer tests where libpcap compiles
# them or refuses them in other words (the link-type gaps of the filter compiler): found once with
# tcpdump's own filter, reported in one line at the end, so each client's own line tests the rest.
: >"$tmp/gaps"
# Every capture; and every third one, for the clients whose runs cost most (the time a run of the
# whole suite takes; CLIENTS_CORPUS=full gives every client every capture).
all=$(ls "$corpus"/*.pcap "$corpus"/*.pcapng 2>/dev/null)
third=$(echo "$all" | awk 'NR % 3 == 1')
[ "$CLIENTS_CORPUS" = full ] && third=$all
offline_find_gaps() {
	: >"$tmp/gap-captures"
	for f in "$corpus"/*.pcap "$corpus"/*.pcapng; do
		$OURS timeout 10 tcpdump -c 1 -r "$f" "tcp or udp" >"$tmp/gap.ours" 2>&1
		grep -q 'link-layer type filtering not implemented' "$tmp/gap.ours" || continue
		$SYS timeout 10 tcpdump -c 1 -r "$f" "tcp or udp" >"$tmp/gap.sys" 2>&1
		cmp -s "$tmp/gap.sys" "$tmp/gap.ours" || basename "$f" >>"$tmp/gap-captures"
	done
}

# offline NAME SED SCRIPT [--filters] [CAPTURES...]: for each capture (default: all), SCRIPT (a shell command;
# $f is the capture's path) runs in a fresh directory of its own on each library, both at once;
# what it printed (after the sed program SED, which only takes out wall-clock times and pids), its
# exit status and the files it wrote (byte for byte) must be the same: a capture the client refuses
# must be refused alike. Where the client crashes on libpcap (a signal), nothing can be compared:
# the capture is counted apart, and our run must still end by itself.
offline() {
	oname=$1 osed=$2 oscript=$3 ofilters=
	shift 3
	[ "$1" = --filters ] && { ofilters=1; shift; }
	ostart=$(date +%s)
	LIMIT=5
	if [ ! -d "$corpus" ]; then
		skip "$oname" "$corpus is not beside the repository"
		return
	fi
	[ $# = 0 ] && set -- $all
	n=0 same=0 bad="" stopped="" refused=0 crashed="" endless="" gaps=0
	for f in "$@"; do
		export f
		n=$((n + 1))
		rm -rf "$tmp/o"
		mkdir -p "$tmp/o/sys" "$tmp/o/ours"
		in_dir "$tmp/o/sys" sys "$oscript" &
		in_dir "$tmp/o/ours" ours "$oscript"
		wait
		[ -n "$osed" ] && sed -i -e "$osed" "$tmp/o/sys.txt" "$tmp/o/ours.txt"
		c=${f##*/}
		read rc <"$tmp/o/sys.rc"
		[ "$rc" = 0 ] || refused=$((refused + 1))
		if cmp -s "$tmp/o/sys.txt" "$tmp/o/ours.txt"; then
			same=$((same + 1))
		elif grep -Eq '^exit (13[4-9])$' "$tmp/o/sys.txt" && ! grep -q '^exit 124$' "$tmp/o/ours.txt"; then
			crashed="$crashed $c"
		elif grep -Eq '^exit (124|137)$' "$tmp/o/sys.txt" && grep -Eq '^exit (124|137)$' "$tmp/o/ours.txt"; then
			endless="$endless $c"
		elif [ -n "$ofilters" ] && grep -qxF "$c" "$tmp/gap-captures"; then
			gaps=$((gaps + 1))
			echo "$oname:$c" >>"$tmp/gaps"
		else
			[ -z "$bad" ] && first="$c: $(first_diff "$tmp/o/sys.txt" "$tmp/o/ours.txt")"
			bad="$bad $c"
			[ -n "$KEEP" ] && cp -r "$tmp/o" "$tmp/kept-$oname-$c"
			# Enough to show the difference; the rest of the corpus would only cost time.
			[ "$(echo $bad | wc -w)" -ge 5 ] && { stopped=" (stopped there: capture $n of $#)"; break; }
		fi
	done
	note="$n captures, $((n - refused)) read to the end on libpcap, $(($(date +%s) - ostart)) s"
	[ -n "$crashed" ] && note="$note; not compared, as $oname crashes on libpcap too:$crashed"
	[ -n "$endless" ] && note="$note; not compared, as $oname runs past the time limit on libpcap too:$endless"
	[ $gaps -gt 0 ] && note="$note; $gaps on link types our compiler lacks (below)"
	if [ -z "$bad" ]; then
		pass "$oname ($note)"
	else
		fail "$oname" "$(echo $bad | wc -w) of $n captures differ$stopped: $(echo $bad | cut -c1-160) ... first: $first ($note)"
	fi
}

# The client runs that differed on a capture of a link type our compiler lacks.
offline_gaps() {
	if [ -s "$tmp/gaps" ]; then
		fail filters-on-every-link-type "$(grep -c . "$tmp/gaps") client runs differ on captures whose link type our pcap_compile refuses where libpcap compiles (or refuses in other words: $(tr '\n' ' ' <"$tmp/gap-captures")): $(tr '\n' ' ' <"$tmp/gaps" | cut -c1-400)"
	else
		pass "filters-on-every-link-type (no client differs on the $(grep -c . "$tmp/gap-captures") captures of link types our compiler lacks)"
	fi
}
