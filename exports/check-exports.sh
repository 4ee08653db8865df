#!/bin/sh
# The ABI check: the built library defines exactly the symbols of exports/symbols.txt (and of
# ../shared/abi when present), without versions, and no other pcap_* or bpf_* symbol.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
lib=${1:-$here/../build/lib/libpcap.so.1}
want=$(mktemp) have=$(mktemp)
trap 'rm -f "$want" "$have"' EXIT
sort -u "$here/symbols.txt" >"$want"
shared=$here/../../shared/abi/libpcap-1.10.3-symbols.txt
if [ -f "$shared" ] && ! sort -u "$shared" | cmp -s - "$want"; then
	echo "  exports/symbols.txt differs from $shared"; exit 1
fi
nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u >"$have"
status=0
missing=$(comm -23 "$want" "$have" | tr '\n' ' ')
[ -z "$missing" ] || { echo "  missing: $missing"; status=1; }
extra=$(comm -13 "$want" "$have" | grep -E '^(pcap_|bpf_|eproto_db)' | tr '\n' ' ' || true)
[ -z "$extra" ] || { echo "  not in libpcap's ABI: $extra"; status=1; }
versioned=$(grep '@' "$have" | tr '\n' ' ' || true)
[ -z "$versioned" ] || { echo "  versioned symbols: $versioned"; status=1; }
others=$(comm -13 "$want" "$have" | grep -vE '^(pcap_|bpf_|eproto_db)' | tr '\n' ' ' || true)
[ -z "$others" ] || { echo "  other exported symbols: $others"; status=1; }
soname=$(readelf -d "$lib" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = libpcap.so.0.8 ] || { echo "  soname is '$soname'"; status=1; }
[ $status -eq 0 ] && echo "PASS exports: $(wc -l <"$want") symbols, no others, soname $soname"
exit $status
