using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_setfilter(3PCAP): validates and copies the program (the caller may free its own at once).</summary>
static unsafe class SetFilter
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_setfilter")]
    public static int PcapSetfilter(IntPtr p, BpfProgram* program)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            if (handle is DeadHandle)
            {
                handle.Error = DeadHandle.FilterRefused;
                return PcapError.Error;
            }
            if (!handle.Activated)
            {
                handle.Error = "This handle hasn't been activated yet";
                return PcapError.NotActivated;
            }
            if (program == null || !Engine.Bpf.Validator.IsValid(program->Instructions, (int)program->Length))
            {
                handle.Error = "BPF program is not valid";
                return PcapError.Error;
            }
            var copy = new Engine.Bpf.Program(program->AsSpan());
            var old = handle.Filter;
            int status = 0;
            if (handle is LiveHandle live)
                status = live.SetFilter(copy);
            else
                handle.Filter = copy;
            // A module may install the program even when it then fails (libpcap's Linux module does,
            // when the kernel refuses it): free only what the handle no longer holds.
            if (status < 0 && !ReferenceEquals(copy, handle.Filter)) copy.Dispose();
            if (old != null && !ReferenceEquals(old, handle.Filter)) old.Dispose();
            return status;
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
