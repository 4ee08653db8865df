/* The string tables: pcap_statustostr, pcap_strerror, pcap_lib_version, pcap_init,
 * pcap_datalink_* and pcap_tstamp_type_* names. */
#include <errno.h>
#include "harness.h"

CHECK(statustostr_texts)
{
	static const struct { int code; const char *text; } t[] = {
		{ PCAP_WARNING, "Generic warning" },
		{ PCAP_WARNING_TSTAMP_TYPE_NOTSUP, "That type of time stamp is not supported by that device" },
		{ PCAP_WARNING_PROMISC_NOTSUP, "That device doesn't support promiscuous mode" },
		{ PCAP_ERROR, "Generic error" },
		{ PCAP_ERROR_BREAK, "Loop terminated by pcap_breakloop" },
		{ PCAP_ERROR_NOT_ACTIVATED, "The pcap_t has not been activated" },
		{ PCAP_ERROR_ACTIVATED, "The setting can't be changed after the pcap_t is activated" },
		{ PCAP_ERROR_NO_SUCH_DEVICE, "No such device exists" },
		{ PCAP_ERROR_RFMON_NOTSUP, "That device doesn't support monitor mode" },
		{ PCAP_ERROR_NOT_RFMON, "That operation is supported only in monitor mode" },
		{ PCAP_ERROR_PERM_DENIED, "You don't have permission to perform this capture on that device" },
		{ PCAP_ERROR_IFACE_NOT_UP, "That device is not up" },
		{ PCAP_ERROR_CANTSET_TSTAMP_TYPE, "That device doesn't support setting the time stamp type" },
		{ PCAP_ERROR_PROMISC_PERM_DENIED, "You don't have permission to capture in promiscuous mode on that device" },
		{ PCAP_ERROR_TSTAMP_PRECISION_NOTSUP, "That device doesn't support that time stamp precision" },
		{ 0, "Unknown error: 0" },
		{ 4, "Unknown error: 4" },
		{ -13, "Unknown error: -13" },
	};
	for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
		EXPECT_STR(pcap_statustostr(t[i].code), t[i].text);
}

CHECK(strerror_is_libc)
{
	EXPECT_STR(pcap_strerror(EPERM), strerror(EPERM));
	EXPECT_STR(pcap_strerror(ENOSPC), "No space left on device");
	EXPECT_STR(pcap_strerror(12345), "Unknown error 12345");
}

CHECK(lib_version_prefix)
{
	const char *v = pcap_lib_version();
	EXPECT(strncmp(v, "libpcap version 1.10.3", 22) == 0, "pcap_lib_version is \"%s\"", v);
	EXPECT(pcap_lib_version() == v, "pcap_lib_version moved");
}

/* pcap_init may be called again with the same encoding only. */
CHECK(init_options)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	EXPECT_INT(pcap_init(0x99, errbuf), PCAP_ERROR);
	EXPECT_STR(errbuf, "Unknown options specified");
	EXPECT_INT(pcap_init(PCAP_CHAR_ENC_LOCAL, errbuf), 0);
	EXPECT_INT(pcap_init(PCAP_CHAR_ENC_LOCAL, errbuf), 0);
	EXPECT_INT(pcap_init(PCAP_CHAR_ENC_UTF_8, errbuf), PCAP_ERROR);
	EXPECT_STR(errbuf, "Multiple pcap_init calls with different character encodings");
}

CHECK(datalink_names)
{
	EXPECT_STR(pcap_datalink_val_to_name(DLT_EN10MB), "EN10MB");
	EXPECT_STR(pcap_datalink_val_to_description(DLT_EN10MB), "Ethernet");
	EXPECT_STR(pcap_datalink_val_to_name(DLT_LINUX_SLL), "LINUX_SLL");
	EXPECT_STR(pcap_datalink_val_to_description(DLT_LINUX_SLL), "Linux cooked v1");
	EXPECT_STR(pcap_datalink_val_to_name(DLT_RAW), "RAW");
	EXPECT_STR(pcap_datalink_val_to_description(DLT_RAW), "Raw IP");
	EXPECT_INT(pcap_datalink_name_to_val("en10mb"), DLT_EN10MB); /* case-insensitive */
	EXPECT_INT(pcap_datalink_name_to_val("LINUX_SLL2"), DLT_LINUX_SLL2);
	EXPECT_INT(pcap_datalink_name_to_val("no-such-type"), -1);
	EXPECT(pcap_datalink_val_to_name(9999) == NULL, "a name for DLT 9999");
	EXPECT(pcap_datalink_val_to_description(9999) == NULL, "a description for DLT 9999");
	EXPECT_STR(pcap_datalink_val_to_description_or_dlt(9999), "DLT 9999");
	EXPECT_STR(pcap_datalink_val_to_description_or_dlt(DLT_NULL), "BSD loopback");
}

CHECK(tstamp_type_names)
{
	EXPECT_INT(pcap_tstamp_type_name_to_val("host"), PCAP_TSTAMP_HOST);
	EXPECT_INT(pcap_tstamp_type_name_to_val("ADAPTER_UNSYNCED"), PCAP_TSTAMP_ADAPTER_UNSYNCED);
	EXPECT_INT(pcap_tstamp_type_name_to_val("nope"), PCAP_ERROR);
	EXPECT_STR(pcap_tstamp_type_val_to_name(PCAP_TSTAMP_HOST), "host");
	EXPECT_STR(pcap_tstamp_type_val_to_description(PCAP_TSTAMP_HOST), "Host");
	EXPECT_STR(pcap_tstamp_type_val_to_name(PCAP_TSTAMP_ADAPTER), "adapter");
	EXPECT(pcap_tstamp_type_val_to_name(99) == NULL, "a name for time-stamp type 99");
}
