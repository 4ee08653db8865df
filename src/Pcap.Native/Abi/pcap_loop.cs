using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_loop(3PCAP) and pcap_dispatch(3PCAP): each delivered packet goes to the C callback.</summary>
static unsafe class Loop
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_loop")]
    public static int PcapLoop(IntPtr p, int cnt, delegate* unmanaged<byte*, PacketHeader*, byte*, void> callback, byte* user)
    {
        try
        {
            return Handle.FromPcap(p).Loop(cnt, new CallbackSink(callback, user));
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_dispatch")]
    public static int PcapDispatch(IntPtr p, int cnt, delegate* unmanaged<byte*, PacketHeader*, byte*, void> callback, byte* user)
    {
        try
        {
            return Handle.FromPcap(p).Dispatch(cnt, new CallbackSink(callback, user));
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }

    /// <summary>The program's pcap_handler with its user argument.</summary>
    sealed class CallbackSink(delegate* unmanaged<byte*, PacketHeader*, byte*, void> callback, byte* user) : ICallbackSink
    {
        public delegate* unmanaged<byte*, PacketHeader*, byte*, void> Callback => callback;
        public byte* User => user;
        public void Packet(PacketHeader* header, byte* data) => callback(user, header, data);
    }
}
