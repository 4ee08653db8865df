# scapy with conf.use_pcap: libpcap through ctypes (scapy/libs/winpcapy.py). Prints the library
# scapy loaded, whether pcap_findalldevs lists the interface, then sniffs COUNT frames through
# pcap_next_ex behind scapy's own select() on the selectable descriptor, with a filter compiled by
# pcap_compile; with "send", injects COUNT frames by pcap_sendpacket instead.
# Usage: scapy-live.py IFACE sniff|send COUNT
import sys

from scapy.config import conf

conf.use_pcap = True
conf.verb = 0
from scapy.all import Ether, IP, UDP, Raw, get_if_list, sendp, sniff  # noqa: E402
from scapy.libs import winpcapy  # noqa: E402

iface, mode, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
print(winpcapy.pcap_lib_version().decode(), flush=True)
print("listed", iface in get_if_list())
if mode == "send":
    frames = [Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") /
              IP(src="10.77.0.2", dst="10.77.0.1", id=i) / UDP(sport=5000, dport=6000 + i) /
              Raw(bytes(range(i, i + 20))) for i in range(count)]
    sendp(frames, iface=iface)
    print("sent", count)
else:
    got = sniff(iface=iface, count=count, timeout=10, filter="udp dst port 7001",
                started_callback=lambda: print("ready", flush=True))
    for p in got:
        print(p.summary(), bytes(p).hex())
    print("sniffed", len(got))
