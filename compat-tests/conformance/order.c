/* pcap_create(3PCAP) and pcap_activate(3PCAP): calls in the wrong order. A created handle is not
 * activated: the getters answer PCAP_ERROR_NOT_ACTIVATED; once active, the setters answer
 * PCAP_ERROR_ACTIVATED. Uses "lo", never activated here except where said. */
#include <unistd.h>
#include "harness.h"

static pcap_t *created(void)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_create("lo", errbuf);
	EXPECT(p != NULL, "pcap_create(lo): %s", errbuf);
	return p;
}

CHECK(created_getters_not_activated)
{
	pcap_t *p = created();
	struct pcap_stat st;
	struct pcap_pkthdr *h;
	const u_char *data;
	int *dlts;

	EXPECT_INT(pcap_datalink(p), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_datalink_ext(p), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_snapshot(p), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_list_datalinks(p, &dlts), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_is_swapped(p), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_major_version(p), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_minor_version(p), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_stats(p, &st), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_STR(pcap_geterr(p), "This handle hasn't been activated yet");
	EXPECT_INT(pcap_next_ex(p, &h, &data), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_dispatch(p, 1, NULL, NULL), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_inject(p, "a", 1), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_fileno(p), -1);
	EXPECT_INT(pcap_get_selectable_fd(p), -1);
	pcap_close(p);
}

CHECK(created_compile_and_dump_refused)
{
	pcap_t *p = created();
	struct bpf_program prog;
	char want[PCAP_ERRBUF_SIZE * 2];
	EXPECT_INT(pcap_compile(p, &prog, "", 1, PCAP_NETMASK_UNKNOWN), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "not-yet-activated pcap_t passed to pcap_compile");
	EXPECT(pcap_dump_open(p, scratch("x.pcap")) == NULL, "pcap_dump_open on a created handle");
	snprintf(want, sizeof want, "%s: not-yet-activated pcap_t passed to pcap_dump_open", scratch("x.pcap"));
	EXPECT_STR(pcap_geterr(p), want);
	EXPECT_INT(file_size(scratch("x.pcap")), -1);
	pcap_close(p);
}

/* Setters before activation are accepted (values are checked at activation), except an unknown
 * precision (PCAP_ERROR_TSTAMP_PRECISION_NOTSUP) and an unsupported time-stamp type (a warning). */
CHECK(created_setters_accepted)
{
	pcap_t *p = created();
	EXPECT_INT(pcap_set_snaplen(p, 100), 0);
	EXPECT_INT(pcap_set_snaplen(p, -5), 0);
	EXPECT_INT(pcap_set_promisc(p, 1), 0);
	EXPECT_INT(pcap_set_timeout(p, 10), 0);
	EXPECT_INT(pcap_set_timeout(p, -1), 0);
	EXPECT_INT(pcap_set_buffer_size(p, 100000), 0);
	EXPECT_INT(pcap_set_immediate_mode(p, 1), 0);
	EXPECT_INT(pcap_set_rfmon(p, 0), 0);
	EXPECT_INT(pcap_set_tstamp_type(p, PCAP_TSTAMP_HOST), 0);
	EXPECT_INT(pcap_set_tstamp_type(p, 99), PCAP_WARNING_TSTAMP_TYPE_NOTSUP);
	EXPECT_INT(pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO), 0);
	EXPECT_INT(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
	EXPECT_INT(pcap_set_tstamp_precision(p, 5), PCAP_ERROR_TSTAMP_PRECISION_NOTSUP);
	EXPECT_INT(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
	pcap_close(p);
}

/* Without root the packet socket is refused first (PCAP_ERROR_PERM_DENIED). */
static void need_root(void)
{
	if (geteuid() != 0)
		skip("needs root: without it the packet socket is refused before the device is looked up");
}

CHECK(activate_missing_device)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	need_root();
	p = pcap_create("nosuchdev0", errbuf);
	EXPECT(p != NULL, "pcap_create: %s", errbuf);
	EXPECT_INT(pcap_activate(p), PCAP_ERROR_NO_SUCH_DEVICE);
	EXPECT_STR(pcap_geterr(p), "No such device exists");
	pcap_close(p);
}

CHECK(open_live_missing_device)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	need_root();
	EXPECT(pcap_open_live("nosuchdev0", 65535, 0, 100, errbuf) == NULL, "opened a missing device");
	/* "device: status (errbuf)", where the errbuf already holds the status text. */
	EXPECT_STR(errbuf, "nosuchdev0: No such device exists (No such device exists)");
}
