namespace Pcap.Engine.Bpf;

/// <summary>bpf_dump: prints <see cref="Image.Dump"/> on the C library's stdout, as libpcap's printf calls do.</summary>
public static unsafe class Dumper
{
    public static void Print(System.ReadOnlySpan<Instruction> program, int option)
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes(Image.Dump(program, option) + "\0");
        fixed (byte* p = text)
            Interop.Stdio.Fputs(p, Interop.Stdio.Stdout);
    }
}
