using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Bluetooth;

/// <summary>
/// What libpcap's two Bluetooth modules share: an HCI socket, a buffer of control messages, the
/// pseudo-header and the snapshot, one message received per read (recvmsg cuts it to the snapshot)
/// and delivered through the batch. Where it differs from libpcap (which blocks in recvmsg): the
/// read timeout is honoured, pcap_breakloop wakes a blocked read, and a message a pcap_breakloop held
/// back is delivered by the next read.
/// </summary>
public abstract unsafe class BluetoothSocketHandle(string device) : DescriptorHandle(device)
{
    protected byte* Buffer;
    int bufferSize;
    PacketBatch? batch;
    bool held; // a received packet a pcap_breakloop kept from the callback
    PacketHeader heldHeader;

    public override int BufferSize => bufferSize;

    /// <summary>Bytes of control messages before the pseudo-header in the buffer.</summary>
    protected abstract int ControlSize { get; }

    /// <summary>The packet (pseudo-header first) in the buffer.</summary>
    protected byte* Packet => Buffer + ControlSize;

    /// <summary>The socket and buffer: 0, or -1 with libpcap's text (and everything released by the caller).</summary>
    protected int OpenSocket()
    {
        bufferSize = ControlSize + Hci.PseudoHeaderLength + Snapshot;
        Fd = Libc.Socket(Hci.AfBluetooth, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Hci.ProtoHci);
        if (Fd < 0) return Fail("Can't create raw socket", Marshal.GetLastPInvokeError());
        Buffer = (byte*)NativeMemory.Alloc((nuint)bufferSize);
        batch = new PacketBatch();
        return 0;
    }

    /// <summary>
    /// Receives one message into the buffer: 1 with the header set, 0 for a message not to deliver
    /// (the direction), or -1 with the text set. The descriptor is readable (or non-blocking).
    /// </summary>
    protected abstract int Receive(ref PacketHeader header);

    protected override int Read(int maxPackets, IPacketSink sink)
    {
        if (TakeBreak()) return PcapError.Break;
        var header = heldHeader;
        if (!held)
        {
            int ready = WaitReadable();
            if (ready <= 0) return ready;
            int got = Receive(ref header);
            if (got <= 0) return got;
            if (Filter != null && Filter.Run(Packet, header.Len, header.CapLen) == 0) return 0;
        }
        *batch!.Add(Packet, 0) = header;
        held = batch.Deliver(sink, Block) == 0;
        heldHeader = header;
        if (held && TakeBreak()) return PcapError.Break;
        return held ? 0 : 1;
    }

    /// <summary>recvmsg, retried on EINTR: the bytes, or -1 (errno kept); a pcap_breakloop meanwhile is left for the reader.</summary>
    private protected nint ReceiveMessage(Libc.MsgHdr* message)
    {
        nint got;
        do got = Libc.RecvMsg(Fd, message, 0);
        while (got < 0 && Marshal.GetLastPInvokeError() == EINTR && Block->BreakLoop == 0);
        return got;
    }

    /// <summary>libpcap's texts for a failed recvmsg: 0 in non-blocking mode with nothing there, else -1.</summary>
    protected int ReceiveFailed()
    {
        int errno = Marshal.GetLastPInvokeError();
        return errno == EAGAIN ? 0 : Fail("Can't receive packet", errno);
    }

    protected override void CloseModule()
    {
        if (Buffer != null) NativeMemory.Free(Buffer);
        Buffer = null;
        batch?.Dispose();
        batch = null;
        held = false;
        base.CloseModule();
    }
}
