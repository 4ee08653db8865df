# Sourced by the benchmarks: goal WHAT RATIO GOAL prints one line of the goals summary (issue 14), which
# bench/run.sh gathers at the end. GOAL is ">= N" (ours/libpcap at least N) or "<= N" (at most N).
goal() {
	awk -v w="$1" -v r="$2" -v g="$3" 'BEGIN {
		split(g, p, " ")
		met = p[1] == ">=" ? r + 0 >= p[2] + 0 : r + 0 <= p[2] + 0
		printf "goal: %-62s %7.2f  %-7s %s\n", w, r, g, (r == "" ? "no figure" : met ? "met" : "NOT MET")
	}'
}
