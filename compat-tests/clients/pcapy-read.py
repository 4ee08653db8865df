# pcapy (python3-pcapy, a C extension linked to libpcap) reads a savefile with pcap_next_ex: the
# link type, every header and a digest of every packet's bytes; with a filter, both pcap_setfilter
# and the compiled program run over each packet by bpf_filter (pcapy's BPFProgram.filter; the
# program itself is not printed: ours need not be libpcap's instruction for instruction); every
# packet read is written again through pcap_dump_open/pcap_dump to out.pcap.
# Usage: pcapy-read.py FILE [FILTER]
import hashlib
import sys

import pcapy

path = sys.argv[1]
expr = sys.argv[2] if len(sys.argv) > 2 else None
try:
    p = pcapy.open_offline(path)
except pcapy.PcapError as e:
    print("open:", e)
    sys.exit(0)
print("datalink", p.datalink())
prog = None
if expr is not None:
    try:
        prog = pcapy.compile(p.datalink(), 262144, expr, 1, 0)
        p.setfilter(expr)
    except pcapy.PcapError as e:
        print("filter:", e)
        sys.exit(0)
dumper = p.dump_open("out.pcap")
n = 0
while True:
    try:
        hdr, data = p.next()
    except pcapy.PcapError as e:
        print("next:", e)
        break
    if hdr is None:
        break
    n += 1
    sec, usec = hdr.getts()
    verdict = "" if prog is None else " bpf_filter %d" % prog.filter(data)
    print(n, sec, usec, hdr.getcaplen(), hdr.getlen(), hashlib.md5(data).hexdigest() + verdict)
    dumper.dump(hdr, data)
del dumper
print("packets", n)
