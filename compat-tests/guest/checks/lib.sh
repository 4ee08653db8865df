# Helpers the guest's check scripts source. W is a scratch folder; ours runs a command on our
# library (the host's build/lib/libpcap.so.1, copied to /pcap/lib); tcpdump stays root (-Z root:
# the guest has no tcpdump user).
W=/tmp/w
T=/test
mkdir -p $W
ours() { env LD_PRELOAD=/pcap/lib/libpcap.so.1 "$@"; }
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
check() { # NAME CONDITION-COMMAND WHY
	if eval "$2"; then pass "$1"; else fail "$1" "$3"; fi
}
# Waits until a capture has started ("listening on" from tcpdump, "Capturing on" from dumpcap), at most 30 s.
listening() {
	i=0
	while [ $i -lt 300 ] && ! grep -qE "listening on|Capturing on" "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
}
# busybox's sh runs its own applets before PATH: iproute2's ip (veth pairs, namespaces) by path.
ip() { /usr/local/bin/ip "$@"; }
