/* The data symbol eproto_db: Ethernet type names, as libpcap's nametoaddr.c defines them
 * (struct eproto of pcap/namedb.h), ended by a null entry. */
struct eproto {
	const char *s;
	unsigned short p;
};

__attribute__((visibility("default"))) struct eproto eproto_db[] = {
	{ "aarp", 0x80f3 },
	{ "arp", 0x0806 },
	{ "atalk", 0x809b },
	{ "decnet", 0x6003 },
	{ "ip", 0x0800 },
	{ "ip6", 0x86dd },
	{ "lat", 0x6004 },
	{ "loopback", 0x9000 },
	{ "mopdl", 0x6001 },
	{ "moprc", 0x6002 },
	{ "rarp", 0x8035 },
	{ "sca", 0x6007 },
	{ (const char *)0, 0 }
};
