/* The name and address tools (pcap-filter's helpers in pcap/namedb.h) and the data symbols. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netdb.h>
#include <stdlib.h>
#include "harness.h"
#include <pcap/namedb.h>

/* eproto_db is not in the public headers, but exported (nametoaddr.c). */
struct eproto {
	const char *s;
	unsigned short p;
};

/* The data symbols are looked up at run time: a missing data symbol would stop the whole binary
 * from loading (data is bound at start-up), not just fail this check. */
CHECK(data_symbols)
{
	const char *pcap_version = dlsym(RTLD_DEFAULT, "pcap_version");
	struct eproto *eproto_db = dlsym(RTLD_DEFAULT, "eproto_db");
	int has_ip = 0;
	EXPECT(pcap_version != NULL && eproto_db != NULL, "pcap_version or eproto_db not exported");
	EXPECT_STR(pcap_version, "1.10.3");
	for (int i = 0; eproto_db[i].s != NULL; i++)
		if (strcmp(eproto_db[i].s, "ip") == 0)
			has_ip = eproto_db[i].p == 0x800;
	EXPECT_STR(eproto_db[0].s, "aarp");
	EXPECT_INT(eproto_db[0].p, 0x80f3);
	EXPECT(has_ip, "eproto_db has no ip = 0x800");
}

CHECK(nametoport)
{
	int port, proto;
	EXPECT_INT(pcap_nametoport("http", &port, &proto), 1);
	EXPECT_INT(port, 80);
	EXPECT_INT(proto, IPPROTO_TCP);
	EXPECT_INT(pcap_nametoport("domain", &port, &proto), 1); /* tcp and udp: PROTO_UNDEF */
	EXPECT_INT(port, 53);
	EXPECT_INT(proto, -1);
	EXPECT_INT(pcap_nametoport("nosuchservice", &port, &proto), 0);
}

CHECK(nametoportrange)
{
	int lo, hi, proto;
	EXPECT_INT(pcap_nametoportrange("20-30", &lo, &hi, &proto), 1);
	EXPECT_INT(lo, 20);
	EXPECT_INT(hi, 30);
	EXPECT_INT(proto, -1);
	EXPECT_INT(pcap_nametoportrange("30-20", &lo, &hi, &proto), 1); /* not reordered */
	EXPECT_INT(lo, 30);
	EXPECT_INT(hi, 20);
	EXPECT_INT(pcap_nametoportrange("ftp-http", &lo, &hi, &proto), 1);
	EXPECT_INT(lo, 21);
	EXPECT_INT(hi, 80);
	EXPECT_INT(proto, IPPROTO_TCP);
	EXPECT_INT(pcap_nametoportrange("x-y", &lo, &hi, &proto), 0);
}

CHECK(nametoproto_eproto_llc)
{
	EXPECT_INT(pcap_nametoproto("tcp"), 6);
	EXPECT_INT(pcap_nametoproto("udp"), 17);
	EXPECT_INT(pcap_nametoproto("nope"), -1);
	EXPECT_INT(pcap_nametoeproto("ip"), 0x800);
	EXPECT_INT(pcap_nametoeproto("arp"), 0x806);
	EXPECT_INT(pcap_nametoeproto("nope"), -1);
	EXPECT_INT(pcap_nametollc("stp"), 0x42);
	EXPECT_INT(pcap_nametollc("iso"), 0xfe);
	EXPECT_INT(pcap_nametollc("nope"), -1);
}

#pragma GCC diagnostic ignored "-Wdeprecated-declarations" /* pcap_nametoaddr is exported: test it */
CHECK(nametoaddr_localhost)
{
	bpf_u_int32 **addrs = pcap_nametoaddr("localhost");
	struct addrinfo *ai;
	EXPECT(addrs != NULL && addrs[0] != NULL, "pcap_nametoaddr(localhost) found nothing");
	EXPECT_INT(*addrs[0], 0x7f000001); /* host byte order */
	EXPECT(pcap_nametoaddr("no.such.host.invalid") == NULL, "resolved an invalid name");
	EXPECT_INT(pcap_nametonetaddr("loopback"), 0x7f000000);
	ai = pcap_nametoaddrinfo("localhost");
	EXPECT(ai != NULL, "pcap_nametoaddrinfo(localhost) is NULL");
	freeaddrinfo(ai);
}

CHECK(ether_aton_forms)
{
	static const unsigned char want[6] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab };
	static const unsigned char small[6] = { 1, 2, 3, 4, 5, 6 };
	u_char *e;
	e = pcap_ether_aton("01:23:45:67:89:ab");
	EXPECT(e != NULL && memcmp(e, want, 6) == 0, "colon form");
	free(e);
	e = pcap_ether_aton("1:2:3:4:5:6");
	EXPECT(e != NULL && memcmp(e, small, 6) == 0, "short digits");
	free(e);
	e = pcap_ether_aton("0123.4567.89ab");
	EXPECT(e != NULL && memcmp(e, want, 6) == 0, "dotted form");
	free(e);
	e = pcap_ether_aton("01-23-45-67-89-ab");
	EXPECT(e != NULL && memcmp(e, want, 6) == 0, "dashed form");
	free(e);
}

CHECK(ether_hostton_unknown)
{
	EXPECT(pcap_ether_hostton("no-such-ether-host") == NULL, "found an unknown host");
}

/* pcap_next_etherent reads /etc/ethers-format lines: "MAC name", comments skipped. */
CHECK(next_etherent_parses)
{
	FILE *f;
	struct pcap_etherent *e;
	static const unsigned char want[6] = { 0x02, 0, 0, 0, 0, 0x0a };
	static const char ethers[] = "# comment\n02:00:00:00:00:0a alpha\n\n2:0:0:0:0:b beta # trailing\n";
	write_bytes(scratch("ethers"), ethers, strlen(ethers));
	f = fopen(scratch("ethers"), "r");
	e = pcap_next_etherent(f);
	EXPECT(e != NULL, "first entry missing");
	EXPECT(memcmp(e->addr, want, 6) == 0, "first address");
	EXPECT_STR(e->name, "alpha");
	e = pcap_next_etherent(f);
	EXPECT(e != NULL, "second entry missing");
	EXPECT_INT(e->addr[5], 0x0b);
	EXPECT_STR(e->name, "beta");
	EXPECT(pcap_next_etherent(f) == NULL, "an entry after the last");
	fclose(f);
}
