#!/bin/sh
# SharpPcap 6.3.1 + PacketDotNet 1.4.8 as a real client (compat-tests/SharpPcap.Tests). Run twice: on the
# system libpcap (proving the tests state libpcap's behaviour) and on ours, which SharpPcap's resolver
# finds first as build/lib/libpcap.so through the library path. Lines are prefixed with the library.
cd "$(dirname "$0")/../.." || exit 1
project=compat-tests/SharpPcap.Tests/SharpPcap.Tests.csproj
if ! dotnet build "$project" -c Release --nologo -v:q >/tmp/sharppcap-build.$$ 2>&1; then
	tail -20 /tmp/sharppcap-build.$$
	rm -f /tmp/sharppcap-build.$$
	echo "FAIL sharppcap-tests-build"
	exit 0
fi
rm -f /tmp/sharppcap-build.$$
# Each run is inside a network namespace of its own with a veth pair (sa, sb) for the live tests;
# both vanish with the namespace. Without root (no namespace) the live tests are skipped.
if unshare --net true 2>/dev/null; then
	wrap='unshare --net' filter=
else
	wrap= filter='--filter FullyQualifiedName!~LiveTests'
	echo "SKIP sharppcap-live: no network namespace (needs root)"
fi
for library in system ours; do
	if [ $library = ours ]; then libpath=$PWD/build/lib; else libpath=; fi
	EXPECTED_LIBPCAP=$library LD_LIBRARY_PATH=$libpath SHARPPCAP_VETH=sa,sb project=$project filter=$filter $wrap sh -c '
		if [ -z "$filter" ]; then
			ip link set lo up && ip link add sa type veth peer name sb &&
			ip link set sa up && ip link set sb up || echo "FAIL sharppcap-veth: cannot make the veth pair"
		fi
		dotnet test "$project" -c Release --no-build --nologo -v:q $filter' 2>&1 |
		grep -vE '^\s*$' | sed "s/^/sharppcap-$library: /" | tail -30
done
