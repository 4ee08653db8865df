/* Monitor-mode driver for the test guest's checks (compat-tests/guest/checks/70-monitor.sh),
 * built against the system pcap.h and run on either library:
 *   monitor-client can-set DEV        prints pcap_can_set_rfmon's value (and the text when < 0)
 *   monitor-client activate DEV       prints pcap_activate's status and text with rfmon set, the
 *                                     link type and pcap_list_datalinks, then closes
 *   monitor-client inject DEV N       opens DEV in monitor mode and sends N radiotap frames
 *                                     (802.11 broadcast data frames whose payload says their number)
 * A last argument "plain" leaves rfmon unset (DEV is then a monitor interface made with iw). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int rfmon = 1;

static pcap_t *create(const char *dev)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_create(dev, err);
	if (!p) {
		printf("create: %s\n", err);
		exit(1);
	}
	return p;
}

static int activate(pcap_t *p)
{
	pcap_set_rfmon(p, rfmon);
	pcap_set_timeout(p, 100);
	int rc = pcap_activate(p);
	printf("activate %d", rc);
	if (rc != 0)
		printf(" %s", pcap_geterr(p));
	printf("\n");
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (strcmp(argv[argc - 1], "plain") == 0) {
		rfmon = 0;
		argc--;
	}
	pcap_t *p = create(argv[2]);
	if (strcmp(argv[1], "can-set") == 0) {
		int rc = pcap_can_set_rfmon(p);
		printf("can-set %d", rc);
		if (rc < 0)
			printf(" %s", pcap_geterr(p));
		printf("\n");
	} else if (strcmp(argv[1], "activate") == 0) {
		if (activate(p) >= 0) {
			int *dlts;
			int n = pcap_list_datalinks(p, &dlts);
			printf("linktype %d datalinks", pcap_datalink(p));
			for (int i = 0; i < n; i++)
				printf(" %d", dlts[i]);
			printf("\n");
			pcap_free_datalinks(dlts);
		}
	} else if (strcmp(argv[1], "inject") == 0 && argc > 3) {
		if (activate(p) < 0)
			return 1;
		int n = atoi(argv[3]);
		for (int i = 0; i < n; i++) {
			unsigned char frame[64] = {
				0, 0, 8, 0, 0, 0, 0, 0,	/* radiotap: version, pad, length 8, no fields */
				0x08, 0x00, 0, 0,	/* data frame, duration */
				0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				0x02, 0x00, 0x00, 0x00, 0x01, 0x00,
				0x02, 0x00, 0x00, 0x00, 0x01, 0x00,
				0, 0,			/* sequence control */
			};
			int len = 32 + snprintf((char *)frame + 32, sizeof frame - 32, "pcap-monitor-frame-%d", i);
			if (pcap_inject(p, frame, len) != len)
				printf("inject %d: %s\n", i, pcap_geterr(p));
			usleep(100000);
		}
		printf("injected %d\n", n);
	}
	pcap_close(p);
	return 0;
}
