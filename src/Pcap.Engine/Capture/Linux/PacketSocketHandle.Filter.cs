using System;
using System.Runtime.InteropServices;
using System.Threading;
using Pcap.Engine.Bpf;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Linux;

/// <summary>
/// Filters: libpcap's pcap_setfilter_linux, fix_program and set_kernel_filter. The program runs in
/// the kernel when it can; packets already in the ring passed the old program, so they are
/// filtered in user space until the blocks holding them have been read.
/// </summary>
public sealed unsafe partial class PacketSocketHandle
{
    const int SkfAdOff = -0x1000, SkfAdProtocol = 0, SkfAdPkttype = 4, SkfAdIfindex = 8;

    bool filterInUserland;
    bool wireVlanFilter; // the program tests VLAN tags in the frame: run it after the tag is put back
    int blocksToFilterInUserland;

    protected override int InstallFilter(Program program)
    {
        Filter = program;
        filterInUserland = true;
        wireVlanFilter = TestsVlanTpid(program);

        Instruction[]? kernel = program.Length <= ushort.MaxValue && !wireVlanFilter ? FixProgram(program) : null;
        if (program.Length > ushort.MaxValue) Console.Error.Write("Warning: Filter too complex for kernel\n");
        int err = 0;
        if (kernel != null)
        {
            err = SetKernelFilter(kernel, out int errno);
            if (err == 0)
            {
                filterInUserland = false;
            }
            else if (err == -1)
            {
                if (errno == ENOMEM)
                    Console.Error.Write("Warning: Couldn't allocate kernel memory for filter: try increasing net.core.optmem_max with sysctl\n");
                else if (errno != ENOPROTOOPT && errno != EOPNOTSUPP)
                    Console.Error.Write($"Warning: Kernel filter failed: {Libc.StrError(errno)}\n");
            }
        }
        if (filterInUserland && ResetKernelFilter() == -1)
        {
            Error = Libc.ErrnoMessage("can't remove kernel filter", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }
        if (err == -2) return PcapError.Error;
        if (filterInUserland) return 0;

        // Count the blocks that may hold packets the old program let in: all but the free ones
        // found walking back from the current one (less one, for a packet added meanwhile).
        int index = offset;
        if (--index < 0) index = frameCount - 1;
        int n;
        for (n = 0; n < frameCount; ++n)
        {
            if (--index < 0) index = frameCount - 1;
            if (Volatile.Read(ref *StatusOf(index)) != Tpacket.StatusKernel) break;
        }
        if (n != 0) n--;
        blocksToFilterInUserland = frameCount - n;
        filterInUserland = true;
        return 0;
    }

    /// <summary>
    /// True if the program looks for an 802.1Q/802.1ad tag in the frame itself (a jeq on TPID 0x8100,
    /// 0x88a8 or 0x9100). libpcap compiles "vlan" for Linux into loads of the tag the kernel took
    /// out (BPF_SPECIAL_VLAN_HANDLING); our compiler tests the tag in the frame, so such a program
    /// runs here, in user space, on the frame with its tag put back, which gives libpcap's verdicts.
    /// </summary>
    internal static bool TestsVlanTpid(Program program)
    {
        for (int i = 0; i < program.Length; i++)
        {
            var insn = program.Instructions[i];
            if (insn.Code == (Opcodes.Jmp | Opcodes.Jeq | Opcodes.K) && insn.K is 0x8100 or 0x88a8 or 0x9100) return true;
        }
        return false;
    }

    void CountFilteredBlock()
    {
        if (blocksToFilterInUserland > 0 && --blocksToFilterInUserland == 0) filterInUserland = false;
    }

    /// <summary>
    /// The program as the kernel must see it: in cooked mode the kernel's packet starts after the
    /// link-layer header, so header fields map to ancillary loads. Null when it can't run there.
    /// </summary>
    Instruction[]? FixProgram(Program program)
    {
        var copy = new Instruction[program.Length];
        new ReadOnlySpan<Instruction>(program.Instructions, program.Length).CopyTo(copy);
        if (!cooked) return copy;
        for (int i = 0; i < copy.Length; i++)
        {
            ref var insn = ref copy[i];
            int cls = Opcodes.Class(insn.Code), mode = Opcodes.Mode(insn.Code);
            if (cls is not (Opcodes.Ld or Opcodes.Ldx)) continue;
            if (mode is not (Opcodes.Abs or Opcodes.Ind or Opcodes.Msh)) continue;
            if (!FixOffset(ref insn, LinkType)) return null;
        }
        return copy;
    }

    /// <summary>libpcap's fix_offset: false when the load reads a header field the kernel has no ancillary load for.</summary>
    internal static bool FixOffset(ref Instruction insn, int linkType)
    {
        if (insn.K >= unchecked((uint)SkfAdOff)) return true; // already an ancillary load
        if (linkType == DltLinuxSll2)
        {
            if (insn.K >= Tpacket.Sll2HeaderLength) insn.K -= Tpacket.Sll2HeaderLength;
            else if (insn.K == 0) insn.K = unchecked((uint)(SkfAdOff + SkfAdProtocol));
            else if (insn.K == 4) insn.K = unchecked((uint)(SkfAdOff + SkfAdIfindex));
            else if (insn.K == 10) insn.K = unchecked((uint)(SkfAdOff + SkfAdPkttype));
            else if ((int)insn.K > 0) return false;
        }
        else
        {
            if (insn.K >= Tpacket.SllHeaderLength) insn.K -= Tpacket.SllHeaderLength;
            else if (insn.K == 0) insn.K = unchecked((uint)(SkfAdOff + SkfAdPkttype));
            else if (insn.K == 14) insn.K = unchecked((uint)(SkfAdOff + SkfAdProtocol));
            else if ((int)insn.K > 0) return false;
        }
        return true;
    }

    /// <summary>
    /// Attaches the program after a reject-all one and a drain of the socket queue, so no packet the
    /// old program passed slips through. 0, -1 (not fatal, errno set) or -2 (fatal, text set).
    /// </summary>
    int SetKernelFilter(Instruction[] program, out int errno)
    {
        errno = 0;
        bool totalFilterOn = false;
        Instruction rejectAll = new(Opcodes.Ret | Opcodes.K, 0, 0, 0);
        if (AttachFilter(&rejectAll, 1) == 0)
        {
            totalFilterOn = true;
            int mode = Libc.Fcntl(fd, Libc.F_GETFL, 0);
            if (mode == -1)
            {
                Error = Libc.ErrnoMessage("can't get FD flags when changing filter", Marshal.GetLastPInvokeError());
                return -2;
            }
            if (Libc.Fcntl(fd, Libc.F_SETFL, mode | Libc.O_NONBLOCK) < 0)
            {
                Error = Libc.ErrnoMessage("can't set nonblocking mode when changing filter", Marshal.GetLastPInvokeError());
                return -2;
            }
            byte drain;
            while (Libc.Recv(fd, &drain, 1, Libc.MSG_TRUNC) >= 0) { }
            int saved = Marshal.GetLastPInvokeError();
            if (saved != EAGAIN)
            {
                Libc.Fcntl(fd, Libc.F_SETFL, mode);
                ResetKernelFilter();
                Error = Libc.ErrnoMessage("recv failed when changing filter", saved);
                return -2;
            }
            if (Libc.Fcntl(fd, Libc.F_SETFL, mode) == -1)
            {
                Error = Libc.ErrnoMessage("can't restore FD flags when changing filter", Marshal.GetLastPInvokeError());
                return -2;
            }
        }
        int ret;
        fixed (Instruction* p = program) ret = AttachFilter(p, program.Length);
        if (ret == -1)
        {
            errno = Marshal.GetLastPInvokeError();
            if (totalFilterOn && ResetKernelFilter() == -1)
            {
                Error = Libc.ErrnoMessage("can't remove kernel total filter", Marshal.GetLastPInvokeError());
                return -2;
            }
        }
        return ret;
    }

    int AttachFilter(Instruction* program, int length)
    {
        // struct sock_fprog: unsigned short len, then the instruction pointer at offset 8.
        byte* fprog = stackalloc byte[16];
        *(ushort*)fprog = (ushort)length;
        *(Instruction**)(fprog + 8) = program;
        return Libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, fprog, 16);
    }

    int ResetKernelFilter()
    {
        int dummy = 0;
        if (Libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_DETACH_FILTER, &dummy, 4) == -1)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != ENOENT && errno != ENONET) return -1;
        }
        return 0;
    }
}
