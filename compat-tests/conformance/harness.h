/*
 * The conformance harness: each CHECK is one promise of a man page, run in a child process of its
 * own (a crash, a hang or a missing symbol fails that check only). A check ends at its first failed
 * EXPECT; the runner prints "PASS <library>/<name>" or "FAIL <library>/<name>: why".
 * The same binary runs against the system libpcap and against ours (library path), so every check
 * states libpcap 1.10.3's real behaviour.
 */
#ifndef CONFORMANCE_HARNESS_H
#define CONFORMANCE_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <pcap/pcap.h>

struct check {
	const char *name;
	void (*run)(void);
	struct check *next;
};

void register_check(struct check *c);
void fail(const char *file, int line, const char *fmt, ...) __attribute__((noreturn, format(printf, 3, 4)));
/* Ends the check as SKIP: only where the machine lacks something (root, network namespaces). */
void skip(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define CHECK(id)                                                              \
	static void check_##id(void);                                          \
	static struct check check_rec_##id = { #id, check_##id, NULL };        \
	__attribute__((constructor)) static void register_##id(void)           \
	{                                                                      \
		register_check(&check_rec_##id);                                 \
	}                                                                      \
	static void check_##id(void)

#define EXPECT(cond, ...)                                                      \
	do {                                                                   \
		if (!(cond))                                                   \
			fail(__FILE__, __LINE__, __VA_ARGS__);                 \
	} while (0)

#define EXPECT_INT(actual, expected)                                           \
	do {                                                                   \
		long long a_ = (long long)(actual), e_ = (long long)(expected);      \
		if (a_ != e_)                                                  \
			fail(__FILE__, __LINE__, "%s is %lld, expected %lld", #actual, a_, e_); \
	} while (0)

#define EXPECT_STR(actual, expected)                                           \
	do {                                                                   \
		const char *a_ = (actual), *e_ = (expected);                   \
		if (a_ == NULL || strcmp(a_, e_) != 0)                         \
			fail(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #actual, a_ ? a_ : "(NULL)", e_); \
	} while (0)

/* A path in this check's own scratch directory. */
const char *scratch(const char *name);

/* File helpers for expected bytes. */
long file_size(const char *path);
size_t read_bytes(const char *path, unsigned char *buf, size_t max);
void write_bytes(const char *path, const void *data, size_t len);

/* A classic pcap savefile written byte by byte (no libpcap involved): n packets of caplen bytes,
 * packet i filled with (i + j) & 0xff, time stamp (1000 + i, 10 * i). swapped: other byte order. */
void write_capture(const char *path, uint32_t magic, uint32_t linktype, uint32_t snaplen,
    int n, uint32_t caplen, int swapped);

/* The 24-byte header libpcap writes, for comparisons. */
void expected_header(unsigned char out[24], uint32_t magic, uint32_t snaplen, uint32_t linktype);

/* Runs fn in a grandchild; returns the signal that killed it, 0 if it exited normally. */
int dies_by_signal(void (*fn)(void));

#endif
