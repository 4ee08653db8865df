#!/bin/sh
# The guest's kernel: the newest Debian amd64 kernel with both its image in /boot and its headers
# (linux-image-amd64 and linux-headers-amd64 install them). Prints the version, or nothing.
for v in $(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's|.*/vmlinuz-||' | sort -V -r); do
	[ -d "/usr/src/linux-headers-$v" ] && [ -d "/lib/modules/$v" ] && { echo "$v"; exit 0; }
done
exit 1
