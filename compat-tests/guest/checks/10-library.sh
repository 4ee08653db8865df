# The library under test in the guest: its checksum (the host compares it with build/lib's), and
# tcpdump -r through it on this CPU (TCG's, no AVX-512) printing what Debian's libpcap prints.
. /checks/lib.sh
echo "GUEST-LIBRARY $(sha256sum /pcap/lib/libpcap.so.1 | cut -d' ' -f1)"
flags=$(grep -m1 '^flags' /proc/cpuinfo)
model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2)
tcpdump -Z root -nn -r /test/sample.pcap >$W/sys-r.txt 2>/dev/null
ours tcpdump -Z root -nn -r /test/sample.pcap >$W/ours-r.txt 2>$W/ours-r.err
rc=$?
if echo "$flags" | grep -qw avx512f; then
	echo "SKIP guest-library-loads-without-avx512: this guest's CPU ($model) has AVX-512"
elif [ $rc = 0 ] && [ -s $W/sys-r.txt ] && cmp -s $W/sys-r.txt $W/ours-r.txt; then
	echo "PASS guest-library-loads-without-avx512"
else
	echo "FAIL guest-library-loads-without-avx512: rc $rc on$model: $(head -c 300 $W/ours-r.err)"
fi
