# Helpers of compat-tests/suites/22-clients.sh (sourced): how a client is run on each library, how
# its output is compared, and how a test proves our library was the one loaded.
# SYS runs a command on Debian's libpcap; OURS on ours, preloaded and first on the library path
# (as build/bin/pcap-run does: the path form reaches programs that dlopen "libpcap.so").
lib=$root/build/lib
SYS="env"
OURS="env LD_LIBRARY_PATH=$lib LD_PRELOAD=$lib/libpcap.so.1"
# Every client run is bounded: a hang is a FAIL, never a hung suite.
LIMIT=${CLIENT_TIMEOUT:-10}

pass() { echo "PASS clients/$1"; }
fail() { echo "FAIL clients/$1: $2"; }
skip() { echo "SKIP clients/$1: $2"; }

# first_diff A B: the first lines that differ, on one line, for a FAIL message.
first_diff() { diff "$1" "$2" | grep '^[<>]' | head -4 | cut -c1-100 | tr '\n' ' '; }

# proves NAME CMD...: runs CMD in the scratch folder on our library with the loader's trace on
# (LD_DEBUG=libs into $tmp/NAME.ld.PID), then loaded_ours NAME.
proves() {
	pname=$1
	shift
	(cd "$tmp" && LD_DEBUG=libs LD_DEBUG_OUTPUT="$tmp/$pname.ld" timeout -k 2 "$LIMIT" $OURS "$@" >/dev/null 2>&1 </dev/null)
	loaded_ours "$pname" "$*"
}

# loaded_ours NAME WHAT: fails unless the loader's trace of NAME's run shows that the libpcap
# initialised was ours (build/lib) and that Debian's was never initialised. Once per client.
loaded_ours() {
	if ! cat "$tmp/$1.ld".* 2>/dev/null | grep -q "calling init: $lib/libpcap"; then
		fail "$1/loads-ours" "our libpcap was not initialised in '$2'"
	elif cat "$tmp/$1.ld".* | grep -q "calling init: /.*lib/x86_64-linux-gnu/libpcap"; then
		fail "$1/loads-ours" "Debian's libpcap was initialised too in '$2'"
	else
		pass "$1/loads-ours"
	fi
	rm -f "$tmp/$1.ld".*
}

# in_dir DIR LIB SCRIPT: runs the shell SCRIPT in the empty directory DIR on one library (sys or
# ours), bounded, and writes DIR.txt: what it printed (stdout and stderr), a line break (a run cut
# off by the time limit may end in the middle of a line), its exit status and a
# digest of every file it left in DIR (byte for byte); DIR/../LIB.rc holds the exit status. (The variables are exported rather than
# set by env: one process less per run, in a loop of thousands of runs.)
in_dir() {
	(
		cd "$1" || exit 1
		if [ "$2" = ours ]; then
			export LD_LIBRARY_PATH="$lib" LD_PRELOAD="$lib/libpcap.so.1"
		fi
		timeout -k 2 "$LIMIT" sh -c "$3" </dev/null 2>&1
		rc=$?
		echo
		echo "exit $rc"
		echo $rc >../$2.rc
		set -- *
		[ -e "$1" ] && md5sum "$@"
	) >"$1.txt"
}
