#!/bin/sh
# The client matrix: Debian-packaged programs that link libpcap (beyond tcpdump, dumpcap and ngrep),
# each running the same command on the system libpcap and on ours; their output (normalised only
# for wall-clock times and pids), the files they write (byte for byte) and the frames they put on
# the wire must be the same. Offline readers go over every capture of tcpdump's regression corpus;
# live capturers, injectors and scanners run in network namespaces of the suite's own
# (compat-tests/clients/live.sh). compat-tests/clients.mk installs the clients.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
tmp=$(mktemp -d)
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
[ -n "$KEEP" ] && echo "KEEP: scratch files in $tmp" >&2
trap 'exit 1' INT TERM
. compat-tests/clients/common.sh
. compat-tests/clients/offline.sh
export LC_ALL=C TZ=UTC
if [ ! -f "$lib/libpcap.so.1" ]; then
	fail build "build/lib/libpcap.so.1 is missing (run make)"
	exit 0
fi
pcapy=$root/compat-tests/clients/pcapy-read.py

# A client that is not installed is a FAIL: the Makefile installs every one of them.
have() {
	command -v "$2" >/dev/null && return 0
	fail "$1" "$2 is not installed (compat-tests/clients.mk installs it: run make)"
	return 1
}

ex=$corpus/dns_tcp.pcap
# CLIENTS_PART=offline or live runs one half (for work on one client).
if [ "${CLIENTS_PART:-offline}" = offline ]; then
offline_find_gaps

# tcpslice: the savefile splitter; -w copies a capture (it reads the last record's time first, by
# moving libpcap's FILE * to the end and back).
if have tcpslice tcpslice; then
	proves tcpslice tcpslice -w "$tmp/proves.out" "$ex"
	offline tcpslice '' 'tcpslice -w out.pcap "$f"'
fi
# tcptrace keeps the header pointer the callback got and reads it after pcap_dispatch returned;
# in libpcap that header lives on pcap_offline_read's stack, so the times tcptrace prints from it
# are stack garbage on some captures (and it crashes on three): those lines are not compared.
if have tcptrace tcptrace; then
	proves tcptrace tcptrace -n "$ex"
	offline tcptrace 's/^elapsed wallclock time: .*/elapsed/;/^\t*\(first packet\|last packet\|trace file elapsed time\):/d' 'tcptrace -n -l "$f"'
fi
if have tcpstat tcpstat; then
	proves tcpstat tcpstat -r "$ex" 1
	offline tcpstat '' 'tcpstat -r "$f" -o "%R %n %N %b %p %a %d %S\n" 86400; tcpstat -r "$f" -f "tcp or icmp" -o "%n %N %b %a %S\n" 31536000' --filters
fi
# tcpflow: one file per TCP flow, then the flows printed with a filter (its DFXML report, which
# holds rusage and the host's name, goes to a file removed at once, also when tcpflow fails; never /dev/null, which a writer that replaces its output file would destroy).
if have tcpflow tcpflow; then
	proves tcpflow tcpflow -r "$ex" -X "$tmp/proves.xml" -c
	offline tcpflow '' 'tcpflow -r "$f" -X report.xml -o . >/dev/null; s=$?; rm -f report.xml; [ $s -eq 0 ] || exit $s; tcpflow -r "$f" -X report.xml -c "port 53 or port 80"; s=$?; rm -f report.xml; exit $s' --filters $third
fi
# tcpick: connection states of the packets a "tcp" filter passes (tcpick takes any packet for
# IPv4/TCP and reads past the captured length of shorter ones, into whatever the library's buffer
# holds there; for the same reason its payload printing is not used).
if have tcpick tcpick; then
	proves tcpick tcpick -r "$ex" -C
	offline tcpick 's/^\(.*Starting tcpick [0-9.]*\) at .*/\1/' 'tcpick -r "$f" -C -h -n tcp' --filters $third
fi
if have ssldump ssldump; then
	proves ssldump ssldump -n -r "$ex"
	offline ssldump '' 'ssldump -n -r "$f"; ssldump -n -r "$f" -A "tcp port 443"' --filters $third
fi
# p0f compiles its own filter ("tcp or (vlan and tcp)", then "tcp" where that fails), then one
# given on the command line.
if have p0f p0f; then
	proves p0f p0f -r "$ex"
	offline p0f '' 'p0f -r "$f"; p0f -r "$f" "port 80 or port 53"' --filters
fi
# softflowd: a NetFlow exporter; -D prints each flow as it is expired.
if have softflowd softflowd; then
	proves softflowd softflowd -D -r "$ex"
	offline softflowd 's/(0x[0-9a-f]*)/(PTR)/g' 'softflowd -D -r "$f"; softflowd -D -r "$f" udp' --filters
fi
# tcpprep (tcpreplay's cache maker, with a libpcap filter in the second run): the cache files.
if have tcpprep tcpprep; then
	proves tcpprep tcpprep -a bridge -i "$ex" -o "$tmp/proves.cache"
	offline tcpprep '' 'tcpprep -a bridge -i "$f" -o bridge.cache && tcpprep -a client --include="F:tcp or udp port 53" -i "$f" -o filter.cache' --filters
fi
# tcprewrite: rewrites every packet (truncated to an MTU, checksums fixed) into a new savefile.
if have tcprewrite tcprewrite; then
	proves tcprewrite tcprewrite --infile="$ex" --outfile="$tmp/proves.pcap"
	offline tcprewrite '' 'tcprewrite --infile="$f" --outfile=out.pcap --mtu=100 --mtu-trunc --fixcsum'
fi
# dnscap: DNS messages printed (-g) and written to a savefile (-w).
if have dnscap dnscap; then
	proves dnscap dnscap -r "$ex" -g
	offline dnscap '' 'dnscap -r "$f" -g -w dns.pcap' --filters $third
fi
if have httpry httpry; then
	proves httpry httpry -r "$ex"
	offline httpry '' 'httpry -r "$f"' --filters $third
fi
# arpwatch: the station table it writes from the ARP packets of a capture.
if have arpwatch arpwatch; then
	# (its table goes to a file of ours: arpwatch replaces the file it writes, so /dev/null would be lost)
	touch "$tmp/proves-arp.dat"
	proves arpwatch arpwatch -r "$ex" -f "$tmp/proves-arp.dat" -d
	offline arpwatch '' 'touch arp.dat; arpwatch -r "$f" -f "$PWD/arp.dat" -d' --filters $third
fi
# dsniff's urlsnarf reads through libnids, which opens libpcap and compiles its own filter.
if have urlsnarf urlsnarf; then
	proves urlsnarf urlsnarf -n -p "$ex"
	offline urlsnarf '' 'urlsnarf -n -p "$f"' --filters $third
fi
# pcapy: the Python binding (a C extension linked to libpcap): pcap_next_ex, pcap_setfilter,
# bpf_filter with a compiled program, pcap_dump.
if ! /usr/bin/python3 -c 'import pcapy' 2>/dev/null; then
	fail pcapy "python3-pcapy is not installed (compat-tests/clients.mk installs it: run make)"
else
	proves pcapy /usr/bin/python3 "$pcapy" "$ex"
	offline pcapy '' "/usr/bin/python3 $pcapy \"\$f\""
	offline pcapy-filter '' "/usr/bin/python3 $pcapy \"\$f\" 'tcp or udp port 53 or ip[8] < 64'" --filters $third
fi
# nfdump's nfpcapd: flows from a capture (it reads the first packet, then moves libpcap's FILE *
# back to it), printed by nfdump. It takes about 0.1 s a capture: the captures named a to c.
if have nfpcapd nfpcapd; then
	mkdir "$tmp/nf"
	proves nfpcapd nfpcapd -r "$ex" -w "$tmp/nf"
	offline nfpcapd '' 'mkdir nf && nfpcapd -r "$f" -w nf >/dev/null 2>&1; nfdump -R nf -o extended -q; rm -rf nf' \
		"$corpus"/[a-c]*.pcap
fi
offline_gaps
fi
[ "$CLIENTS_PART" = offline ] && exit 0

# Live clients (compat-tests/clients/live.sh).
if [ "$(id -u)" != 0 ]; then
	skip live "needs root for network namespaces"
	exit 0
fi
. compat-tests/clients/live.sh
trap 'netns_down; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
if ! live_up 2>"$tmp/netns.err"; then
	skip live "cannot create network namespaces ($(head -1 "$tmp/netns.err"))"
	exit 0
fi
if [ ! -x "$sender" ]; then
	fail live "build/test/live-sender is missing (run make)"
	exit 0
fi
LIMIT=15
# Client ports the scanners draw at random, masked in the frames.
rand_ports='s/10\.77\.0\.2\.[0-9]*/10.77.0.2.PORT/g; s/\(seq\|ack\|win\|val\|ecr\) [0-9]*/\1 N/g; s/0x[0-9a-f]*:  .*//; s/id [0-9]*/id N/; s/cksum 0x[0-9a-f]*/cksum N/'

# arping: sends ARP requests (libnet) and reads the replies through pcap_next_ex behind its own
# select() on the selectable descriptor.
have arping arping &&
	both_on_wire arping 's/time=[0-9.]* [mu]sec/time=T/; s/^rtt .*/rtt/' '' arping -c 3 -W 0.2 -I pcl0 10.77.0.1
# arp-scan: sends with pcap_sendpacket, reads with pcap_dispatch behind select(), prints
# pcap_stats.
have arp-scan arp-scan &&
	both_on_wire arp-scan 's/scanned in .* seconds (.*)/scanned/' '' arp-scan -I pcl0 --retry=1 --interval=10 10.77.0.0/30
# nmap: a SYN scan of three closed ports of the peer, replies read through libpcap (select()).
have nmap nmap &&
	both_on_wire nmap 's/^Starting Nmap.*/Starting/; s/([0-9.]*s latency)/(L)/; s/scanned in .* seconds/scanned/' "$rand_ports" --as-set \
		nmap -n -sS -p 22,80,7000 -e pcl0 --max-retries 1 10.77.0.1
# hping3: SYNs through a raw socket, the replies through pcap_next.
have hping3 hping3 &&
	both_on_wire hping3 's/rtt=[0-9.]* ms/rtt=T/; s/^round-trip .*/round-trip/' "$rand_ports" \
		hping3 -c 3 -i u100000 -S -p 80 -I pcl0 10.77.0.1
# bittwist: replays a capture with pcap_sendpacket; the frames must be the capture's, byte for byte.
if have bittwist bittwist; then
	wire_filter="not ether host 02:00:00:00:00:01 and not ether host 02:00:00:00:00:02"
	both_on_wire bittwist 's/^Elapsed time = .*/Elapsed/' '' bittwist -i pcl0 "$ex"
	wire_filter="ether src 02:00:00:00:00:02 and not (arp and arp[6:2] = 2)"
fi
# scapy with conf.use_pcap: frames built in Python, injected by pcap_sendpacket through ctypes.
if /usr/bin/python3 -c 'import scapy' 2>/dev/null; then
	both_on_wire scapy-send 's/^libpcap version \([0-9.]*\) .*/libpcap version \1/' '' \
		/usr/bin/python3 "$root/compat-tests/clients/scapy-live.py" pcl0 send 10
	# ... and sniffing through pcap_next_ex behind scapy's own select(), with a filter.
	both_at_once scapy-sniff 's/^libpcap version \([0-9.]*\) .*/libpcap version \1/' ready \
		'in_peer_bg "$sender" pcl1 20' /usr/bin/python3 "$root/compat-tests/clients/scapy-live.py" pcl0 sniff 10
else
	fail scapy "python3-scapy is not installed (compat-tests/clients.mk installs it: run make)"
fi
# p0f: passive fingerprints of a TCP connection from the peer, read behind p0f's own poll() loop;
# p0f runs until its time limit (SIGTERM) on both libraries, then prints its totals.
LIMIT=4
have p0f p0f &&
	both_at_once p0f-live 's/Closed [0-9]* file descriptors\{0,1\}\./Closed file descriptors./; s/[0-9]*\( -> 10.77.0.2\/81\)/PORT\1/; s/10.77.0.1\/[0-9]*$/10.77.0.1\/PORT/' "Entered main event loop" \
		'in_peer_bg timeout 2 bash -c "exec 3<>/dev/tcp/10.77.0.2/81" 2>/dev/null' p0f -i pcl0 -p
