namespace Pcap.Engine.Compiler;

/// <summary>optimize.c's job: smaller programs with the same verdicts.</summary>
internal static class Optimizer
{
    public static Block Optimize(Block root) => root;
}
