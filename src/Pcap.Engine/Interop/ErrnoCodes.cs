global using static Pcap.Engine.Interop.ErrnoCodes;

namespace Pcap.Engine.Interop;

/// <summary>The errno values of Linux on x86-64 (asm-generic/errno*.h) the engine tests for; in scope in every file.</summary>
public static class ErrnoCodes
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, ENXIO = 6, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
        EBUSY = 16, EEXIST = 17, ENODEV = 19, EINVAL = 22, ENFILE = 23, ENOSPC = 28, EPIPE = 32, ERANGE = 34, ENONET = 64, EPROTO = 71,
        ENOTSOCK = 88, EMSGSIZE = 90, ENOPROTOOPT = 92, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95, EAFNOSUPPORT = 97,
        EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETDOWN = 100, ENOBUFS = 105, ECONNREFUSED = 111;
}
