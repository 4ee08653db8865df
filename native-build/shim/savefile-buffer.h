#ifndef PCAP_SHIM_SAVEFILE_BUFFER_H
#define PCAP_SHIM_SAVEFILE_BUFFER_H

#include <stdio.h>

/* Gives a savefile just opened by name, before any I/O, its larger buffer (savefile-buffer.c). */
void pcap_shim_savefile_buffer(FILE *f);
/* Takes back the buffer given to f, if any, to be freed once f is closed. */
void *pcap_shim_savefile_buffer_take(FILE *f);

#endif
