namespace Pcap.Engine.Compiler;

/// <summary>Qualifier values of gencode.h: address kind, protocol, direction.</summary>
internal static class Q
{
    public const int Default = 0, Undef = 255;
    // address
    public const int Host = 1, Net = 2, Port = 3, Gateway = 4, Proto = 5, Protochain = 6, Portrange = 7;
    // protocol
    public const int Link = 1, Ip = 2, Arp = 3, Rarp = 4, Sctp = 5, Tcp = 6, Udp = 7, Icmp = 8, Igmp = 9, Igrp = 10,
        Atalk = 11, Decnet = 12, Lat = 13, Sca = 14, Moprc = 15, Mopdl = 16, Ipv6 = 17, Icmpv6 = 18, Ah = 19, Esp = 20,
        Pim = 21, Vrrp = 22, Aarp = 23, Iso = 24, Esis = 25, Isis = 26, Clnp = 27, Stp = 28, Ipx = 29, Netbeui = 30,
        IsisL1 = 31, IsisL2 = 32, IsisIih = 33, IsisSnp = 34, IsisCsnp = 35, IsisPsnp = 36, IsisLsp = 37, Radio = 38, Carp = 39;
    // direction
    public const int Src = 1, Dst = 2, Or = 3, And = 4, Addr1 = 5, Addr2 = 6, Addr3 = 7, Addr4 = 8, Ra = 9, Ta = 10;
}

/// <summary>A qualifier triple (struct qual): address kind, protocol, direction.</summary>
internal readonly record struct Qual(int Addr, int Proto, int Dir)
{
    public static readonly Qual Err = new(Q.Undef, Q.Undef, Q.Undef);
    public static readonly Qual None = new(Q.Default, Q.Default, Q.Default);
}
