using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Pcap.Engine.Names;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>The name tools (nametoaddr.c) against the system libpcap's, called through function pointers.</summary>
public sealed unsafe class NamesTests
{
    private static IntPtr Lib() => NativeLibrary.Load(CompilerReference.LibraryPath);

    private static byte[] C(string s)
    {
        var b = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, 0, s.Length, b, 0);
        return b;
    }

    public static readonly TheoryData<string> Services = ["http", "domain", "smtp", "bootpc", "bootps", "ssh", "ntp", "80", "53", "0x50", "nosuchservice", "www", "tftp", "syslog",
        // what glibc's getaddrinfo reads as a number (strtoul: blanks, a sign, truncated to 16 bits, the empty name) and what it does not
        "", " 80", "+80", "-1", "70000", "80 ", "1.5", "http ", "HTTP", "-", "+", " ", "sunrpc", "kerberos", "domain-s",
        "\t80", "0080", "-0", "65616", "4294967296", "4294967376", "2147483647", "2147483648", "-4294967216", "-2147483648",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999", "- 80", "+-80", "8 0"];

    [Theory]
    [MemberData(nameof(Services))]
    public void PortMatchesLibpcap(string name)
    {
        if (!File.Exists(CompilerReference.LibraryPath)) return;
        var f = (delegate* unmanaged<byte*, int*, int*, int>)NativeLibrary.GetExport(Lib(), "pcap_nametoport");
        int port = -7, proto = -7;
        int rc;
        fixed (byte* n = C(name)) rc = f(n, &port, &proto);
        bool ok = NameResolver.Port(name, out uint p, out uint pr);
        Assert.Equal(rc != 0, ok);
        if (ok) { Assert.Equal(port, (int)p); Assert.Equal(proto, (int)pr); }
    }

    [Theory]
    [InlineData("1-1023")]
    [InlineData("20-21")]
    [InlineData("smtp-25")]
    [InlineData("domain-53")]
    [InlineData("http-https")]
    [InlineData("bootpc-bootps")]
    [InlineData("1023-1")]
    [InlineData("nosuch-80")]
    [InlineData("80")]
    [InlineData("1-http")]
    [InlineData("70000-http")]
    [InlineData("http-70000")]
    [InlineData("ssh-nosuch")]
    public void PortRangeMatchesLibpcap(string name)
    {
        if (!File.Exists(CompilerReference.LibraryPath)) return;
        var f = (delegate* unmanaged<byte*, int*, int*, int*, int>)NativeLibrary.GetExport(Lib(), "pcap_nametoportrange");
        int p1 = -7, p2 = -7, proto = -7, rc;
        fixed (byte* n = C(name)) rc = f(n, &p1, &p2, &proto);
        bool ok = NameResolver.PortRange(name, out uint a, out uint b, out uint pr);
        Assert.Equal(rc != 0, ok);
        if (ok) { Assert.Equal(p1, (int)a); Assert.Equal(p2, (int)b); Assert.Equal(proto, (int)pr); }
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    [InlineData("icmp")]
    [InlineData("ipv6-icmp")]
    [InlineData("ospf")]
    [InlineData("nosuchprotocol")]
    public void ProtocolMatchesLibpcap(string name)
    {
        if (!File.Exists(CompilerReference.LibraryPath)) return;
        var f = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(Lib(), "pcap_nametoproto");
        int expected;
        fixed (byte* n = C(name)) expected = f(n);
        Assert.Equal(expected, NameResolver.Protocol(name));
    }

    [Theory]
    [InlineData("ip")]
    [InlineData("ip6")]
    [InlineData("arp")]
    [InlineData("loopback")]
    [InlineData("sca")]
    [InlineData("iso")]
    [InlineData("stp")]
    [InlineData("netbeui")]
    [InlineData("nosuch")]
    public void EtherAndLlcProtocolsMatchLibpcap(string name)
    {
        if (!File.Exists(CompilerReference.LibraryPath)) return;
        var e = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(Lib(), "pcap_nametoeproto");
        var l = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(Lib(), "pcap_nametollc");
        int ee, ll;
        fixed (byte* n = C(name)) { ee = e(n); ll = l(n); }
        Assert.Equal(ee, NameResolver.EtherProtocol(name));
        Assert.Equal(ll, NameResolver.LlcProtocol(name));
    }

    [Fact]
    public void EprotoTableMatchesLibpcapsDataSymbol()
    {
        if (!File.Exists(CompilerReference.LibraryPath)) return;
        // struct eproto { const char *s; u_short p; }: 16 bytes on LP64, ended by a null name.
        var table = (byte*)NativeLibrary.GetExport(Lib(), "eproto_db");
        int i = 0;
        for (; *(IntPtr*)(table + 16 * i) != IntPtr.Zero; i++)
        {
            string name = Marshal.PtrToStringUTF8(*(IntPtr*)(table + 16 * i))!;
            ushort type = *(ushort*)(table + 16 * i + 8);
            Assert.Equal((name, type), NameResolver.EtherProtocols[i]);
        }
        Assert.Equal(NameResolver.EtherProtocols.Length, i);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("loopback")]
    [InlineData("link-local")]
    [InlineData("host.invalid.")]
    public void NetworkMatchesLibpcap(string name)
    {
        if (!File.Exists(CompilerReference.LibraryPath)) return;
        var f = (delegate* unmanaged<byte*, uint>)NativeLibrary.GetExport(Lib(), "pcap_nametonetaddr");
        uint expected;
        fixed (byte* n = C(name)) expected = f(n);
        Assert.Equal(expected, NameResolver.NetworkAddress(name));
    }

    [Theory]
    [InlineData("00:11:22:33:44:55")]
    [InlineData("0:1:2:3:4:5")]
    [InlineData("00-11-22-33-44-55")]
    [InlineData("0011.2233.4455")]
    [InlineData("001122334455")]
    [InlineData("ab.cd.ef.1.2.3")]
    [InlineData("$21:2:3:4:5")] // gen_acode hands an ARCnet address over with its '$' (six bytes: libpcap leaves the rest unset)
    [InlineData("$f:1:2:3:4:5")]
    [InlineData("g1:zz:G:$:~1")]
    public void EtherAtonMatchesLibpcap(string text)
    {
        if (!File.Exists(CompilerReference.LibraryPath)) return;
        var f = (delegate* unmanaged<byte*, byte*>)NativeLibrary.GetExport(Lib(), "pcap_ether_aton");
        byte* r;
        fixed (byte* n = C(text)) r = f(n);
        var expected = new ReadOnlySpan<byte>(r, 6).ToArray();
        NativeMemory.Free(r);
        Assert.Equal(expected, NameResolver.EtherAton(text));
    }

    [Fact]
    public void HostAddressesMatchLibpcapsAddrinfo()
    {
        if (!File.Exists(CompilerReference.LibraryPath)) return;
        var f = (delegate* unmanaged<byte*, IntPtr>)NativeLibrary.GetExport(Lib(), "pcap_nametoaddrinfo");
        foreach (var name in new[] { "localhost", "ip6-localhost", "127.0.0.1", "::1", "host.invalid." })
        {
            IntPtr res;
            fixed (byte* n = C(name)) res = f(n);
            int count = 0;
            // struct addrinfo: ai_family at 4, ai_next at 40.
            for (var ai = (byte*)res; ai != null; ai = *(byte**)(ai + 40))
                if (*(int*)(ai + 4) is 2 or 10) count++;
            Assert.Equal(count, NameResolver.HostAddresses(name).Count);
        }
    }

    [Fact]
    public void NextEtherentReadsLikeLibpcap()
    {
        if (!File.Exists(CompilerReference.LibraryPath)) return;
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "# comment\n00:11:22:33:44:55 alpha\n\n  0:1:2:3:4:5\tbeta # trailing\nzz:11 bad\n1:2:3:4:5:6\n"
            + "aa:bb:cc:dd:ee:ff " + new string('n', 200) + "\nab:cd:ef:01:02:03 last");
        var lib = Lib();
        var fopen = (delegate* unmanaged<byte*, byte*, IntPtr>)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "fopen");
        var fclose = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "fclose");
        var next = (delegate* unmanaged<IntPtr, byte*>)NativeLibrary.GetExport(lib, "pcap_next_etherent");
        IntPtr a, b;
        fixed (byte* p = C(path))
        fixed (byte* m = C("r"))
        {
            a = fopen(p, m);
            b = fopen(p, m);
        }
        byte* mine = stackalloc byte[NameResolver.EtherentSize];
        int entries = 0;
        while (true)
        {
            byte* theirs = next(a);
            bool ok = NameResolver.NextEtherent(b, mine);
            Assert.Equal(theirs != null, ok);
            if (!ok) break;
            Assert.Equal(new ReadOnlySpan<byte>(theirs, NameResolver.EtherentSize).ToArray(), new ReadOnlySpan<byte>(mine, NameResolver.EtherentSize).ToArray());
            entries++;
        }
        fclose(a);
        fclose(b);
        File.Delete(path);
        Assert.True(entries >= 3);
    }
}
