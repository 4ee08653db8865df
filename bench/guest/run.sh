#!/bin/sh
# make bench-guest: boots the test guest in bench mode (bench/guest/[0-9]*.sh run inside it) and
# prints netmap figures as ratios measured in the same guest run: our tcpdump -w /dev/null against
# pkt-gen -f rx on a VALE port with the same sender, our pcap_inject against pkt-gen -f tx.
cd "$(dirname "$0")/../.." || exit 1
LOG=build/guest/console-bench.log
if ! sh compat-tests/guest/run-guest.sh bench "$LOG" 600; then
	echo "bench-guest: the guest did not finish; its console:"
	tail -c 3000 "$LOG"
	exit 1
fi
awk '$1 == "BENCH" {v[$2] = $3}
END {
	printf "netmap in the test guest (%s; rates under TCG are not performance figures, ratios are)\n", accel
	printf "  capture on a VALE port, one pkt-gen sender flooding 60-byte frames:\n"
	printf "    pkt-gen -f rx           %10d frames of %d sent\n", v["pktgen-rx-received"], v["pktgen-rx-sent"]
	printf "    tcpdump -w /dev/null    %10d frames of %d sent\n", v["tcpdump-rx-received"], v["tcpdump-rx-sent"]
	rp = v["pktgen-rx-sent"] ? v["pktgen-rx-received"] / v["pktgen-rx-sent"] : 0
	rt = v["tcpdump-rx-sent"] ? v["tcpdump-rx-received"] / v["tcpdump-rx-sent"] : 0
	printf "    ratio tcpdump / pkt-gen (frames received per frame sent): %.2f\n", rp ? rt / rp : 0
	printf "  inject on a VALE port, 60-byte frames, frames per second:\n"
	fi_ = v["inject-seconds"] ? v["inject-frames"] / v["inject-seconds"] : 0
	f5 = v["pktgen-tx-b512-seconds"] ? v["pktgen-tx-b512-frames"] / v["pktgen-tx-b512-seconds"] : 0
	f1 = v["pktgen-tx-b1-seconds"] ? v["pktgen-tx-b1-frames"] / v["pktgen-tx-b1-seconds"] : 0
	printf "    pcap_inject (one NIOCTXSYNC a frame) %12.0f\n", fi_
	printf "    pkt-gen -f tx -b 512                 %12.0f   ratio pcap_inject / pkt-gen %.3f\n", f5, f5 ? fi_ / f5 : 0
	printf "    pkt-gen -f tx -b 1                   %12.0f   ratio pcap_inject / pkt-gen %.2f\n", f1, f1 ? fi_ / f1 : 0
}' accel="$(cat build/guest/accel)" "$LOG"
