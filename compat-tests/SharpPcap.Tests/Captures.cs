using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using PacketDotNet;

namespace SharpPcap.Tests;

/// <summary>Test captures: frames built with PacketDotNet, savefiles written byte by byte (no libpcap).</summary>
static class Captures
{
    public static readonly PhysicalAddress MacA = PhysicalAddress.Parse("02-00-00-00-00-0A");
    public static readonly PhysicalAddress MacB = PhysicalAddress.Parse("02-00-00-00-00-0B");

    public static byte[] Udp(int i) => Frame(new UdpPacket((ushort)(40000 + i), 53)
    {
        PayloadData = Encoding.ASCII.GetBytes($"query {i}"),
    });

    public static byte[] Tcp(int i) => Frame(new TcpPacket((ushort)(50000 + i), 80)
    {
        SequenceNumber = (uint)(1000 * i),
        Synchronize = true,
        WindowSize = 512,
    });

    static byte[] Frame(TransportPacket transport)
    {
        var ip = new IPv4Packet(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")) { PayloadPacket = transport };
        var eth = new EthernetPacket(MacA, MacB, EthernetType.IPv4) { PayloadPacket = ip };
        ip.UpdateIPChecksum();
        if (transport is UdpPacket u) u.UpdateUdpChecksum();
        if (transport is TcpPacket t) t.UpdateTcpChecksum();
        return eth.Bytes;
    }

    /// <summary>Alternating UDP (even i) and TCP (odd i) frames.</summary>
    public static List<byte[]> Mixed(int count)
    {
        var frames = new List<byte[]>();
        for (int i = 0; i < count; i++) frames.Add(i % 2 == 0 ? Udp(i) : Tcp(i));
        return frames;
    }

    /// <summary>A classic pcap savefile, packet i stamped (1600000000 + i) s and 1000 * i us (or ns).</summary>
    public static byte[] Savefile(IReadOnlyList<byte[]> frames, bool nano = false, uint snaplen = 65535, uint linkType = 1)
    {
        var s = new MemoryStream();
        var w = new BinaryWriter(s);
        w.Write(nano ? 0xa1b23c4du : 0xa1b2c3d4u);
        w.Write((ushort)2);
        w.Write((ushort)4);
        w.Write(0);
        w.Write(0u);
        w.Write(snaplen);
        w.Write(linkType);
        for (int i = 0; i < frames.Count; i++)
        {
            w.Write((uint)(1600000000 + i));
            w.Write((uint)(1000 * i));
            w.Write((uint)frames[i].Length);
            w.Write((uint)frames[i].Length);
            w.Write(frames[i]);
        }
        return s.ToArray();
    }

    /// <summary>
    /// The same packets as a pcapng file: a section header, one Ethernet interface with if_tsresol 9
    /// (nanoseconds), and one enhanced packet block per frame.
    /// </summary>
    public static byte[] Pcapng(IReadOnlyList<byte[]> frames)
    {
        var s = new MemoryStream();
        var w = new BinaryWriter(s);
        // Section header block
        w.Write(0x0a0d0d0au); w.Write(28u); w.Write(0x1a2b3c4du); w.Write((ushort)1); w.Write((ushort)0);
        w.Write(-1L); w.Write(28u);
        // Interface description block: link type 1, snap length 65535, option if_tsresol = 9
        w.Write(1u); w.Write(32u); w.Write((ushort)1); w.Write((ushort)0); w.Write(65535u);
        w.Write((ushort)9); w.Write((ushort)1); w.Write((byte)9); w.Write((byte)0); w.Write((ushort)0);
        w.Write((ushort)0); w.Write((ushort)0); // opt_endofopt
        w.Write(32u);
        for (int i = 0; i < frames.Count; i++)
        {
            int padded = (frames[i].Length + 3) & ~3;
            uint length = (uint)(32 + padded);
            ulong ns = (ulong)(1600000000 + i) * 1_000_000_000UL + (ulong)(1000 * i);
            w.Write(6u); w.Write(length); w.Write(0u);
            w.Write((uint)(ns >> 32)); w.Write((uint)ns);
            w.Write((uint)frames[i].Length); w.Write((uint)frames[i].Length);
            w.Write(frames[i]);
            w.Write(new byte[padded - frames[i].Length]);
            w.Write(length);
        }
        return s.ToArray();
    }
}
