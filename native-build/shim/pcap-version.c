/* The data symbol pcap_version: libpcap defines it as its package version. */
char pcap_version[] = "1.10.3";
