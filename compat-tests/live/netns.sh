# Network namespaces for the live tests and the live bench (sourced, not run). Two namespaces of our
# own joined by a veth pair: pcl0 in the capture namespace, pcl1 in the peer namespace. IPv6 is off so no stray neighbour discovery mixes with the known traffic.
# Everything is removed on exit; no other interface is touched.
NS_CAP=pcl$$c
NS_PEER=pcl$$p
NS_DEV=pcl$$d # made by tests that need IPv6 addresses too

netns_up() {
	ip netns add "$NS_CAP" || return 1
	ip netns add "$NS_PEER" || return 1
	for ns in "$NS_CAP" "$NS_PEER"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 || return 1
	done
	ip link add pcl0 netns "$NS_CAP" type veth peer name pcl1 netns "$NS_PEER" || return 1
	ip -n "$NS_CAP" addr add 10.77.0.2/24 dev pcl0
	ip -n "$NS_PEER" addr add 10.77.0.1/24 dev pcl1
	ip -n "$NS_CAP" link set pcl0 up
	ip -n "$NS_PEER" link set pcl1 up
}

netns_down() {
	ip netns del "$NS_CAP" 2>/dev/null
	ip netns del "$NS_PEER" 2>/dev/null
	ip netns del "$NS_DEV" 2>/dev/null
}

in_cap() { ip netns exec "$NS_CAP" "$@"; }
in_peer() { ip netns exec "$NS_PEER" "$@"; }
# For "bg_cap CMD &": the exec makes $! the command itself (signals reach it), not a subshell.
bg_cap() { exec ip netns exec "$NS_CAP" "$@"; }
bg_peer() { exec ip netns exec "$NS_PEER" "$@"; }

# wait_for FILE PATTERN: waits until FILE contains PATTERN (a program saying it listens), at most 10 s.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}

# wait_pid PID TENTHS: waits for a background process to end, at most TENTHS tenths of a second;
# kills it after that (status 1).
wait_pid() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt "$2" ]; then
			kill -9 "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	wait "$1" 2>/dev/null
	return 0
}
