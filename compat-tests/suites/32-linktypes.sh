#!/bin/sh
# pcap_compile on every link type libpcap names, through the built library: compat-tests/linktypes/
# linktype-check (a plain pcap client) compiles the primitives of compat-tests/linktypes/primitives.txt
# on each link type, with and without optimisation, once on the system libpcap and once on ours, and
# runs each program through that library's bpf_filter over the same frames (synthetic ones, and ones
# derived from both libraries' programs). One line per link type: the same refusals with the same
# texts, the same verdicts and snap lengths. Then tcpdump -r on every tcpdump 4.99.3 regression
# capture with the filters "ip" and "tcp", on both libraries: the same output.
cd "$(dirname "$0")/../.." || exit 1
bin=build/test/linktype-check
prims=compat-tests/linktypes/primitives.txt
lib=$(pwd)/build/lib
if [ ! -x "$bin" ] || [ ! -f "$lib/libpcap.so.1" ]; then
	echo "FAIL linktypes-built: $bin or build/lib/libpcap.so.1 is missing (run make)"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" "$prims" frames "$work/frames"
LD_LIBRARY_PATH="$lib" "$bin" "$prims" frames "$work/frames"
"$bin" "$prims" judge "$work/frames" >"$work/libpcap" 2>&1
LD_LIBRARY_PATH="$lib" "$bin" "$prims" judge "$work/frames" >"$work/ours" 2>&1

if ! head -n 1 "$work/ours" | grep -q '(Pcap'; then
	echo "FAIL linktypes-our-library: the second run did not load our library ($(head -n 1 "$work/ours"))"
	exit 0
fi
# Line by line: field 1 the link type, 2 optimise, 3 the expression, 4 the outcome.
awk -F '\t' -v ours="$work/ours" '
	NR == 1 { getline o < ours; next }
	{
		if ((getline o < ours) <= 0) o = "(missing)"
		split(o, f, "\t")
		if (!($1 in cases)) order[++n] = $1
		cases[$1]++
		# libpcap programs that read a scratch cell they never stored give noise; ours store zero first.
		same = f[4] == $4 || ($4 ~ /verdicts are noise/ && f[4] ~ /^ok [0-9]/)
		if (f[1] != $1 || f[2] != $2 || f[3] != $3 || !same) {
			bad[$1]++
			if (!($1 in first)) first[$1] = sprintf("\"%s\"%s: ours %s, libpcap %s", $3, ($2 == 1 ? " (optimised)" : ""), f[4], $4)
		}
	}
	END {
		if ((getline o < ours) > 0) print "FAIL linktypes-same-link-types: ours names more link types than libpcap"
		for (i = 1; i <= n; i++) {
			t = order[i]
			if (t in bad) printf "FAIL linktypes/%s: %d of %d cases differ; first %s\n", t, bad[t], cases[t], first[t]
			else printf "PASS linktypes/%s (%d cases)\n", t, cases[t]
		}
	}' "$work/libpcap"

caps=../shared/compat/tcpdump-4.99.3/tests
if [ ! -d "$caps" ]; then
	echo "SKIP linktypes-tcpdump-captures: $caps is not beside the repository"
	exit 0
fi
if ! command -v tcpdump >/dev/null; then
	echo "SKIP linktypes-tcpdump-captures: tcpdump is not installed"
	exit 0
fi
for cap in "$caps"/*.pcap "$caps"/*.pcapng; do
	name=$(basename "$cap")
	why=
	for filter in ip tcp; do
		tcpdump -n -r "$cap" "$filter" >"$work/a" 2>&1; echo "exit $?" >>"$work/a"
		LD_LIBRARY_PATH="$lib" tcpdump -n -r "$cap" "$filter" >"$work/b" 2>&1; echo "exit $?" >>"$work/b"
		if ! cmp -s "$work/a" "$work/b"; then
			why="$why tcpdump -r $name $filter: $(diff "$work/a" "$work/b" | sed -n 2,3p | tr '\n' ' ')"
		fi
	done
	if [ -n "$why" ]; then echo "FAIL linktypes-tcpdump/$name:$why"; else echo "PASS linktypes-tcpdump/$name"; fi
done
