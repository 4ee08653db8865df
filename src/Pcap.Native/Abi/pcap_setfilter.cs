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
            if (handle is LiveHandle live)
            {
                int status = live.SetFilter(copy);
                if (status < 0)
                {
                    copy.Dispose();
                    return status;
                }
            }
            else
            {
                handle.Filter = copy;
            }
            if (old != null && !ReferenceEquals(old, handle.Filter)) old.Dispose();
            return 0;
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
