# netmap figures in the test guest (TCG: absolute rates mean nothing, ratios measured in the same run
# do). Prints "BENCH name value" lines that bench/guest/run.sh turns into a table.
# Capture: one pkt-gen sender on a VALE port, flooding 60-byte frames for SECS seconds; the receiver
# on another port of the same switch is pkt-gen -f rx, then our tcpdump -w /dev/null. VALE drops
# what a receiver does not take in time, so each count is what that receiver kept up with.
# Inject: our pcap_inject (bench/guest/inject.c) against pkt-gen -f tx, each alone on a VALE port.
. /checks/lib.sh
SECS=5
sleep 1

# receive NAME COMMAND...: the sender runs SECS seconds while COMMAND receives on valeb:rx.
receive() {
	name=$1
	shift
	timeout -s INT 30 "$@" >$W/$name.out 2>$W/$name.err &
	r=$!
	sleep 3
	timeout -s INT 30 pkt-gen -i valeb:tx -f tx -l 60 >$W/$name.tx 2>&1 &
	s=$!
	sleep $SECS
	kill -INT $s
	wait $s
	sleep 1
	kill -INT $r
	wait $r
	echo "BENCH $name-sent $(sed -n 's/^Sent \([0-9]*\) packets.*/\1/p' $W/$name.tx)"
}
receive pktgen-rx pkt-gen -i valeb:rx -f rx
echo "BENCH pktgen-rx-received $(sed -n 's/^Received \([0-9]*\) packets.*/\1/p' $W/pktgen-rx.out)"
receive tcpdump-rx env LD_PRELOAD=/pcap/lib/libpcap.so.1 tcpdump -Z root -i valeb:rx -w /dev/null
echo "BENCH tcpdump-rx-received $(sed -n 's/^\([0-9]*\) packets captured/\1/p' $W/tcpdump-rx.err)"

# send NAME COMMAND...: COMMAND sends for SECS seconds (pkt-gen is stopped with SIGINT).
ours timeout 60 $T/guest-inject valec:inj $SECS 60 >$W/inj.out 2>&1
echo "BENCH inject-frames $(sed -n 's/^inject \([0-9]*\) frames in \([0-9.]*\) seconds.*/\1/p' $W/inj.out)"
echo "BENCH inject-seconds $(sed -n 's/^inject \([0-9]*\) frames in \([0-9.]*\) seconds.*/\2/p' $W/inj.out)"
for batch in 512 1; do
	timeout -s INT 30 pkt-gen -i valec:pg$batch -f tx -l 60 -b $batch >$W/pgtx$batch.out 2>&1 &
	s=$!
	sleep $SECS
	kill -INT $s
	wait $s
	echo "BENCH pktgen-tx-b$batch-frames $(sed -n 's/^Sent \([0-9]*\) packets .* in \([0-9.]*\) seconds.*/\1/p' $W/pgtx$batch.out)"
	echo "BENCH pktgen-tx-b$batch-seconds $(sed -n 's/^Sent \([0-9]*\) packets .* in \([0-9.]*\) seconds.*/\2/p' $W/pgtx$batch.out)"
done
