namespace Pcap.Engine.Bpf;

/// <summary>The classic BPF machine (libpcap's bpf_filter.c).</summary>
public static unsafe partial class Machine
{
    public static uint Filter(Instruction* program, byte* packet, uint wireLength, uint capturedLength)
    {
        // Until the interpreter lands, only the accept-all program "ret #k" runs.
        if (program == null) return uint.MaxValue;
        if (program[0].Code == 0x06) return program[0].K;
        throw new System.NotSupportedException("BPF machine not built yet");
    }
}
