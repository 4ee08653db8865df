#!/bin/sh
# Smoke run of samples/ on a generated capture (20 frames: 10 UDP, 6 TCP, 4 ARP): each sample runs on
# the system libpcap and on ours; outputs (text and written captures) must be equal and right.
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lib=$PWD/build/lib
if ! build/test/make-capture "$work/in.pcap"; then
	echo "FAIL samples-capture: build/test/make-capture missing or failed (run make)"
	exit 0
fi

# same NAME EXPECTED-TEXT: compares $work/NAME.{system,ours}.{txt,pcap} and looks for EXPECTED-TEXT
same() {
	if ! grep -q "$2" "$work/$1.system.txt"; then
		echo "FAIL samples/$1: system run does not print \"$2\": $(head -c 300 "$work/$1.system.txt")"
	elif ! cmp -s "$work/$1.system.txt" "$work/$1.ours.txt"; then
		echo "FAIL samples/$1: output on our library differs: $(diff "$work/$1.system.txt" "$work/$1.ours.txt" | head -5 | tr '\n' ' ')"
	elif [ -e "$work/$1.system.pcap" ] && ! cmp -s "$work/$1.system.pcap" "$work/$1.ours.pcap"; then
		echo "FAIL samples/$1: written capture differs on our library"
	else
		echo "PASS samples/$1"
	fi
}

# The C sample.
for library in system ours; do
	if [ $library = ours ]; then run=$PWD/build/bin/pcap-run; else run=env; fi
	(cd "$work" && $run "$OLDPWD/build/samples/pcap-filter-copy" in.pcap "udp port 53" c.$library.pcap) \
		>"$work/c.$library.txt" 2>&1
	sed -i "s/c\.$library\.pcap/OUT/" "$work/c.$library.txt"
done
same c "10 packets (580 bytes) matching \"udp port 53\" written to OUT (EN10MB)"

# The C# samples (SharpPcap finds libpcap.so through the library path).
for sample in ReadSummary FilterWrite; do
	if ! dotnet build samples/$sample -c Release --nologo -v:q >"$work/build.txt" 2>&1; then
		echo "FAIL samples/$sample: build failed: $(grep -m3 error "$work/build.txt" | tr '\n' ' ')"
		continue
	fi
	dll=$PWD/samples/$sample/bin/Release/net10.0/$sample.dll
	for library in system ours; do
		if [ $library = ours ]; then libpath=$lib; else libpath=; fi
		if [ $sample = ReadSummary ]; then
			(cd "$work" && LD_LIBRARY_PATH=$libpath dotnet "$dll" in.pcap) 2>&1 | grep -v '^library:' >"$work/$sample.$library.txt"
		else
			(cd "$work" && LD_LIBRARY_PATH=$libpath dotnet "$dll" in.pcap "tcp or arp" $sample.$library.pcap) 2>&1 |
				sed "s/$sample\.$library\.pcap/OUT/" >"$work/$sample.$library.txt"
		fi
	done
	if [ $sample = ReadSummary ]; then
		same $sample "UDP       10"
	else
		same $sample "10 packets matching \"tcp or arp\" written to OUT"
	fi
done
