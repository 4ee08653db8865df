using System;
using System.Collections.Generic;

namespace Pcap.Engine.Tests;

/// <summary>
/// Synthetic frames for any link type: IPv4 (TCP, UDP, ICMP), IPv6 (TCP, UDP), ARP and 802.2/SNAP
/// payloads behind link-layer headers of every length a layout in libpcap uses, with the header
/// bytes zero, random, or the type fields that layout has (Ethernet type, PPP and Cisco HDLC
/// protocol, address family, ...), plus random and mutated frames. <see cref="FrameDeriver"/> then
/// steers them past the checks a program makes.
/// </summary>
internal static class LinkTypeFrames
{
    private static readonly int[] HeaderLengths = [0, 1, 2, 4, 6, 8, 10, 12, 13, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 40, 44, 48, 64, 72, 144];

    private static readonly Dictionary<int, List<byte[]>> Cache = new();

    public static List<byte[]> For(int dlt)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(dlt, out var c)) return c;
            var r = new Random(dlt * 7919 + 1);
            var list = new List<byte[]>();
            foreach (var payload in Payloads())
            foreach (int h in HeaderLengths)
            {
                var zero = new byte[h];
                list.Add(Concat(zero, payload));
                var rnd = new byte[h];
                r.NextBytes(rnd);
                list.Add(Concat(rnd, payload));
            }
            for (int i = 0; i < 40; i++)
            {
                var f = new byte[r.Next(0, 200)];
                r.NextBytes(f);
                list.Add(f);
            }
            // Mutations of the well-formed frames: one byte changed, or cut short.
            int n = list.Count;
            for (int i = 0; i < 60; i++)
            {
                var f = (byte[])list[r.Next(n)].Clone();
                if (f.Length == 0) continue;
                if (r.Next(2) == 0) f[r.Next(f.Length)] = (byte)r.Next(256);
                else Array.Resize(ref f, r.Next(f.Length));
                list.Add(f);
            }
            Cache[dlt] = list;
            return list;
        }
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }

    private static IEnumerable<byte[]> Payloads()
    {
        yield return Ipv4(6, Tcp(1234, 80));
        yield return Ipv4(17, Udp(5353, 53));
        yield return Ipv4(1, [8, 0, 0, 0, 0, 1, 0, 1]);
        yield return Ipv6(6, Tcp(443, 2000));
        yield return Ipv6(17, Udp(53, 1000));
        yield return [0, 1, 8, 0, 6, 4, 0, 1, 1, 2, 3, 4, 5, 6, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2];
        var snap = new byte[] { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };
        yield return Concat(snap, Ipv4(6, Tcp(80, 1234)));
    }

    private static byte[] Tcp(int sport, int dport)
    {
        var t = new byte[20];
        t[0] = (byte)(sport >> 8); t[1] = (byte)sport; t[2] = (byte)(dport >> 8); t[3] = (byte)dport;
        t[12] = 0x50; t[13] = 0x12;
        return t;
    }

    private static byte[] Udp(int sport, int dport) => [(byte)(sport >> 8), (byte)sport, (byte)(dport >> 8), (byte)dport, 0, 12, 0, 0, 1, 2, 3, 4];

    private static byte[] Ipv4(byte proto, byte[] payload)
    {
        var h = new byte[20 + payload.Length];
        h[0] = 0x45; h[2] = (byte)(h.Length >> 8); h[3] = (byte)h.Length; h[8] = 64; h[9] = proto;
        h[12] = 10; h[13] = 0; h[14] = 0; h[15] = 1; h[16] = 10; h[17] = 0; h[18] = 0; h[19] = 2;
        payload.CopyTo(h, 20);
        return h;
    }

    private static byte[] Ipv6(byte next, byte[] payload)
    {
        var h = new byte[40 + payload.Length];
        h[0] = 0x60; h[4] = (byte)(payload.Length >> 8); h[5] = (byte)payload.Length; h[6] = next; h[7] = 64;
        h[8] = 0xfe; h[9] = 0x80; h[23] = 1; h[24] = 0xff; h[25] = 0x02; h[39] = 1;
        payload.CopyTo(h, 40);
        return h;
    }
}
