using System.Collections.Generic;
using System.Net.Sockets;

namespace Pcap.Engine.Capture;

/// <summary>One entry of pcap_findalldevs (pcap_if_t) before it is laid out in malloc'd memory.</summary>
public sealed class Device(string name)
{
    public string Name { get; } = name;
    public string? Description { get; set; }
    public uint Flags { get; set; } // PCAP_IF_*
    public List<DeviceAddress> Addresses { get; } = [];
}

/// <summary>One pcap_addr: raw sockaddr bytes as the kernel gives them (family first), or null.</summary>
public sealed record DeviceAddress(AddressFamily Family, byte[]? Address, byte[]? Netmask, byte[]? Broadcast, byte[]? Destination);
