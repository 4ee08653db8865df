# How libpcap.so.1 is produced: the C shim as one relocatable object, the version script from
# exports/symbols.txt, then NativeAOT publish links them into build/lib/libpcap.so.1.

SHIM_SRC := $(wildcard native-build/shim/*.c)
SHIM_HDR := $(wildcard native-build/shim/*.h)
SHIM_OBJ := build/obj/shim/libpcap-shim.o
VERSION_SCRIPT := build/obj/libpcap.version
ENGINE_SRC := $(shell find src/Pcap.Engine src/Pcap.Native -name '*.cs' -o -name '*.csproj' 2>/dev/null | grep -v /obj/ | grep -v /bin/)

# The list of shim sources, rewritten only when it changes: removing a .c file relinks the shim.
SHIM_LIST := build/obj/shim/sources.txt
$(SHIM_LIST): FORCE
	@mkdir -p build/obj/shim
	@echo "$(SHIM_SRC)" | cmp -s - $@ || echo "$(SHIM_SRC)" >$@
.PHONY: FORCE
FORCE:

# The version script exports libpcap's names; everything else in the shim stays local.
$(SHIM_OBJ): $(SHIM_SRC) $(SHIM_HDR) $(SHIM_LIST)
	@mkdir -p build/obj/shim
	$(CC) -O2 -g -fPIC -Wall -Wextra -Werror -c $(SHIM_SRC) -Inative-build/shim
	@mv $(notdir $(SHIM_SRC:.c=.o)) build/obj/shim/
	ld -r -o $@ $(addprefix build/obj/shim/,$(notdir $(SHIM_SRC:.c=.o)))

$(VERSION_SCRIPT): exports/symbols.txt exports/make-version-script.sh
	@mkdir -p build/obj
	sh exports/make-version-script.sh exports/symbols.txt $@

build/lib/libpcap.so.1: $(SHIM_OBJ) $(VERSION_SCRIPT) $(ENGINE_SRC) Directory.Build.props
	dotnet publish src/Pcap.Native/Pcap.Native.csproj -c Release -o build/obj/publish --nologo -v:q
	@mkdir -p build/lib
	cp build/obj/publish/libpcap.so $@
	ln -sf libpcap.so.1 build/lib/libpcap.so.0.8
	ln -sf libpcap.so.1 build/lib/libpcap.so

build/bin/pcap-run: native-build/pcap-run.sh
	@mkdir -p build/bin
	cp $< $@
	chmod +x $@

# The shim as a shared object for the xunit tests: there the engine runs on the JIT and finds the
# shim's functions under the name "pcapshim" (libpcapshim.so beside the test assembly). The parts
# that call back into the engine's entry points (pcap-inject.c, pcap-next-ex.c, bpf-filter.c) are left out: it has none there.
SHIM_TEST_SRC := $(filter-out native-build/shim/pcap-inject.c native-build/shim/pcap-next-ex.c native-build/shim/bpf-filter.c,$(SHIM_SRC))
compat-tests-build: build/test/libpcapshim.so
build/test/libpcapshim.so: $(SHIM_TEST_SRC) $(SHIM_HDR)
	@mkdir -p build/test
	$(CC) -O2 -shared -fPIC -Wall -Wextra -Werror -Wl,-z,defs -o $@ $(SHIM_TEST_SRC) -Inative-build/shim
