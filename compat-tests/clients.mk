# The client matrix of compat-tests/suites/22-clients.sh: Debian-packaged programs that link libpcap.
# (tcpreplay's tcpprep/tcprewrite, the test sender and tcpdump come from other areas' lists.)
DEB_PACKAGES += tcpslice tcptrace tcpstat tcpflow tcpick ssldump p0f softflowd dnscap httpry \
	arpwatch dsniff python3-pcapy python3-scapy nfdump arping arp-scan nmap hping3 bittwist \
	tcpreplay iproute2 bash
# A machine whose build/.deps predates a client added here installs it at the next make.
build/.deps: compat-tests/clients.mk
