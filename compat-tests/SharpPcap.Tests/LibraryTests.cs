using System;
using System.IO;
using Xunit;

namespace SharpPcap.Tests;

/// <summary>
/// Which libpcap SharpPcap loaded. 60-sharppcap.sh runs this project twice: on the system libpcap
/// (EXPECTED_LIBPCAP=system, proving the other tests state libpcap's behaviour) and on ours through
/// the library path, where SharpPcap's resolver finds build/lib/libpcap.so first.
/// </summary>
public class LibraryTests
{
    static bool ExpectOurs => Environment.GetEnvironmentVariable("EXPECTED_LIBPCAP") != "system";

    [Fact]
    public void VersionParsesAsLibpcap1103()
    {
        Assert.StartsWith("libpcap version 1.10.3", Pcap.Version);
        // SharpPcap parses the prefix: 1.10.3 enables nanosecond stamps and the precision opens.
        Assert.Equal(new Version(1, 10, 3), Pcap.LibpcapVersion);
    }

    [Fact]
    public void LoadedLibraryIsTheExpectedOne()
    {
        _ = Pcap.Version; // make SharpPcap load libpcap
        string maps = File.ReadAllText("/proc/self/maps");
        if (ExpectOurs)
        {
            Assert.Contains("(Pcap", Pcap.Version);
            Assert.Contains("/build/lib/libpcap.so", maps);
        }
        else
        {
            Assert.DoesNotContain("Pcap", Pcap.Version);
            Assert.Contains("/usr/lib/x86_64-linux-gnu/libpcap.so", maps);
        }
    }
}
