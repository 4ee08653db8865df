namespace Pcap.Engine.Interop;

/// <summary>The one C library every [LibraryImport] of the engine binds to.</summary>
internal static class Libraries
{
    // libc.so is a linker script on Debian; the runtime must open the real shared object.
    internal const string Libc = "libc.so.6";
}
