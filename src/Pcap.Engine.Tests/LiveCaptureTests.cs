using System.Collections.Generic;
using System.Linq;
using Pcap.Engine.Bpf;
using Pcap.Engine.Capture;
using Pcap.Engine.Capture.Linux;
using Pcap.Engine.Compiler;
using Xunit;

namespace Pcap.Engine.Tests;

public unsafe class LiveCaptureTests
{
    // Struct offsets and constants pinned to docs/netmap-and-linux-facts.md section 4 (linux/if_packet.h, x86-64).
    [Fact]
    public void TpacketLayoutMatchesTheKernelHeaders()
    {
        Assert.Equal(48, Tpacket.V3HeaderLength);
        Assert.Equal((0, 4, 8, 12, 16, 20, 24, 32, 36),
            (Tpacket.V3NextOffset, Tpacket.V3Sec, Tpacket.V3Nsec, Tpacket.V3Snaplen, Tpacket.V3Len, Tpacket.V3Status, Tpacket.V3Mac, Tpacket.V3VlanTci, Tpacket.V3VlanTpid));
        Assert.Equal(32, Tpacket.V2HeaderLength);
        Assert.Equal((0, 4, 8, 12, 16, 20, 24, 26),
            (Tpacket.V2Status, Tpacket.V2Len, Tpacket.V2Snaplen, Tpacket.V2Mac, Tpacket.V2Sec, Tpacket.V2Nsec, Tpacket.V2VlanTci, Tpacket.V2VlanTpid));
        Assert.Equal((8, 12, 16, 20), (Tpacket.BlockStatus, Tpacket.BlockNumPackets, Tpacket.BlockOffsetToFirst, Tpacket.BlockLength));
        Assert.Equal((20, 2, 4, 8, 10, 11, 12),
            (Tpacket.SockaddrLlLength, Tpacket.SllProtocol, Tpacket.SllIfindex, Tpacket.SllHatype, Tpacket.SllPkttype, Tpacket.SllHalen, Tpacket.SllAddr));
        Assert.Equal((1u, 0x10u, 0x40u), (Tpacket.StatusUser, Tpacket.StatusVlanValid, Tpacket.StatusVlanTpidValid));
        Assert.Equal(64, Tpacket.Align(49));
        Assert.Equal(48, Tpacket.Align(48));
    }

    static Device Dev(string name, uint flags) => new(name) { Flags = flags };

    // The order Debian's libpcap 1.10.3 printed (tcpdump -D) in a namespace with lo down, a veth pair
    // down (pcld1 found before pcld0) and one up: up and running first, "any" after the other
    // non-loopback devices, loopback after them, disconnected ones last.
    [Fact]
    public void DevicesAreOrderedAsLibpcapOrdersThem()
    {
        var found = new List<Device>
        {
            Dev("lo", 0x31), Dev("pcld1", 0x20), Dev("pcld0", 0x20), Dev("pcl0", 0x16),
            Dev("any", 0x36), Dev("bluetooth-monitor", 0x38), Dev("nflog", 0x30), Dev("nfqueue", 0x30),
            Dev("dbus-system", 0x30), Dev("dbus-session", 0x30),
        };
        var names = CaptureModules.Order(found).Select(d => d.Name);
        Assert.Equal(["pcl0", "any", "bluetooth-monitor", "nflog", "nfqueue", "dbus-system", "dbus-session", "lo", "pcld1", "pcld0"], names);
    }

    // Measured too: an up and running loopback comes after "any", before devices that are down.
    [Fact]
    public void AnyComesBeforeAnUpLoopback()
    {
        var found = new List<Device> { Dev("lo", 0x37), Dev("pcl3", 0x16), Dev("pcl2", 0x16), Dev("any", 0x36), Dev("nflog", 0x30) };
        Assert.Equal(["pcl3", "pcl2", "any", "lo", "nflog"], CaptureModules.Order(found).Select(d => d.Name));
    }

    // Cooked-mode loads rewritten for the kernel, whose packet starts after the link-layer header.
    [Theory]
    [InlineData(113, 0u, true, 0xfffff004u)]   // SLL packet type: SKF_AD_PKTTYPE
    [InlineData(113, 14u, true, 0xfffff000u)]  // SLL protocol: SKF_AD_PROTOCOL
    [InlineData(113, 30u, true, 14u)]          // payload: header length off
    [InlineData(113, 6u, false, 6u)]           // an address byte: not in the kernel
    [InlineData(276, 0u, true, 0xfffff000u)]   // SLL2 protocol
    [InlineData(276, 4u, true, 0xfffff008u)]   // SLL2 ifindex: SKF_AD_IFINDEX
    [InlineData(276, 10u, true, 0xfffff004u)]  // SLL2 packet type
    [InlineData(276, 23u, true, 3u)]
    [InlineData(276, 2u, false, 2u)]
    [InlineData(113, 0xfffff02cu, true, 0xfffff02cu)] // already ancillary: untouched
    public void CookedOffsetsAreFixedLikeLibpcap(int linkType, uint k, bool ok, uint fixedK)
    {
        var insn = new Instruction(0x28, 0, 0, k); // ldh [k]
        Assert.Equal(ok, PacketSocketHandle.FixOffset(ref insn, linkType));
        if (ok) Assert.Equal(fixedK, insn.K);
    }

    [Theory]
    [InlineData("vlan", true)]
    [InlineData("vlan 10 and udp", true)]
    [InlineData("udp port 7001", false)]
    [InlineData("", false)]
    public void VlanProgramsAreRecognised(string expression, bool vlan)
    {
        Assert.True(FilterCompiler.TryCompile(expression, 1, 262144, true, 0, out var code, out _));
        using var program = new Program(code);
        Assert.Equal(vlan, PacketSocketHandle.TestsVlanTpid(program));
    }

    [Fact]
    public void LinuxClaimsEveryNameAndCreatesUnactivatedHandles()
    {
        var module = new LinuxCaptureModule();
        Assert.True(module.Claims("any"));
        Assert.True(module.Claims("no-such-device"));
        using var handle = module.Create("no-such-device");
        Assert.False(handle.Activated);
        Assert.Equal(-1, handle.TimestampTypeOption);
        Assert.Equal([Handles.TimestampPrecision.Micro, Handles.TimestampPrecision.Nano], handle.Precisions);
        Assert.Equal(-1, handle.SelectableFd);
        // A name too long for struct ifreq is no device, with libpcap's empty text.
        using var tooLong = module.Create("abcdefghijklmnopqrstuvwxyz");
        Assert.Equal(Handles.PcapError.NoSuchDevice, tooLong.Activate());
        Assert.Equal("", tooLong.Error);
    }
}
