using System;
using System.Collections.Generic;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Capture.DBus;

/// <summary>
/// A capture on a D-Bus bus (libpcap's pcap-dbus.c): a connection of its own to the bus with
/// eavesdropping match rules for signals, method calls, returns and errors (plain ones where the
/// bus refuses eavesdropping), each message delivered marshalled as LINKTYPE_DBUS; pcap_inject
/// sends a marshalled message. Where it differs from libpcap: the connection is private and closed
/// by pcap_close, so its matches go with it (libpcap's shared connection stays open until the
/// process ends); a lost bus is a read error, not the process's exit; messages are freed (libpcap
/// leaks each one); the read timeout is honoured; the messages already received are delivered in
/// one batch; a pcap_breakloop ends the read at the next message.
/// </summary>
public sealed unsafe class DBusHandle(string device) : LiveHandle(device)
{
    const int MaximumMessage = 134217728; // D-Bus's largest message, libpcap's snapshot here
    const int SliceMs = 100;              // libpcap's dbus_connection_read_write timeout

    IntPtr connection;
    bool disconnected;
    PacketBatch? batch;
    // Marshalled messages waiting for delivery (from next on) or delivered and kept valid until the next read.
    readonly List<(IntPtr Data, PacketHeader Header)> messages = [];
    int next;

    public override int SelectableFd => -1; // libpcap: a D-Bus connection has no single descriptor to wait on
    public override int FileNo => -1;

    protected override int SetNonblockUnactivated(bool nonblock) => NoNonblock();
    protected override int GetNonblockUnactivated() => NoNonblock();
    protected override int SetNonblockOp(bool nonblock) => NoNonblock();
    protected override int GetNonblockOp() => NoNonblock();

    int NoNonblock()
    {
        Error = "Non-blocking mode isn't supported for capturing on D-Bus";
        return PcapError.Error;
    }

    public override int Activate()
    {
        string? missing = LibDbus.Load();
        if (missing != null)
        {
            Error = missing;
            return PcapError.Error;
        }
        LibDbus.Error error;
        LibDbus.ErrorInit(&error);
        if (Device == DBusCaptureModule.System || Device == DBusCaptureModule.Session)
        {
            bool system = Device == DBusCaptureModule.System;
            connection = LibDbus.BusGetPrivate(system ? LibDbus.BusSystem : LibDbus.BusSession, &error);
            if (connection == IntPtr.Zero)
                return Fail($"Failed to get {(system ? "system" : "session")} bus: ", &error);
        }
        else if (Device.StartsWith(DBusCaptureModule.AddressPrefix, StringComparison.Ordinal))
        {
            string address = Device[DBusCaptureModule.AddressPrefix.Length..];
            fixed (byte* a = LibDbus.Utf8(address))
                connection = LibDbus.ConnectionOpenPrivate(a, &error);
            if (connection == IntPtr.Zero)
                return Fail($"Failed to open connection to: {address}: ", &error);
            if (LibDbus.BusRegister(connection, &error) == 0)
                return Fail($"Failed to register bus {address}: ", &error, "\n");
        }
        else
        {
            Error = $"Can't get bus address from {Device}";
            return PcapError.Error;
        }
        LibDbus.ConnectionSetExitOnDisconnect(connection, 0);
        LinkType = DltDbus;
        if (RfmonOption)
        {
            CloseModule();
            return PcapError.RfmonNotSup;
        }
        Snapshot = SnapLengthOption <= 0 || SnapLengthOption > MaximumMessage ? MaximumMessage : SnapLengthOption;
        if (BufferSizeOption != 0) LibDbus.ConnectionSetMaxReceivedSize(connection, BufferSizeOption);
        foreach (string type in (string[])["signal", "method_call", "method_return", "error"])
        {
            if (AddMatch($"eavesdrop=true,type='{type}'", &error)) continue;
            LibDbus.ErrorFree(&error);
            if (!AddMatch($"type='{type}'", &error))
                return Fail("Failed to add bus match: ", &error, "\n");
        }
        Block->StatsSource = StatsSource.Counters;
        batch = new PacketBatch();
        return 0;
    }

    bool AddMatch(string rule, LibDbus.Error* error)
    {
        fixed (byte* r = LibDbus.Utf8(rule))
            LibDbus.BusAddMatch(connection, r, error);
        return LibDbus.ErrorIsSet(error) == 0;
    }

    int Fail(string prefix, LibDbus.Error* error, string suffix = "")
    {
        Error = prefix + error->Text + suffix;
        LibDbus.ErrorFree(error);
        CloseModule();
        return PcapError.Error;
    }

    protected override int Read(int maxPackets, IPacketSink sink)
    {
        ReleaseDelivered();
        if (TakeBreak()) return PcapError.Break;
        if (next == messages.Count)
        {
            int status = Receive();
            if (status <= 0) return status;
        }
        if (maxPackets <= 0) maxPackets = int.MaxValue;
        int delivered = 0;
        while (next < messages.Count && delivered < maxPackets)
        {
            int first = next;
            while (next < messages.Count && !batch!.IsFull && delivered + batch.Count < maxPackets)
            {
                var (data, header) = messages[next++];
                *batch.Add((byte*)data, next - 1) = header;
            }
            int n = batch!.Count;
            int handed = batch.Deliver(sink, Block);
            delivered += handed;
            Block->PsRecv += (ulong)handed;
            if (handed < n)
            {
                next = first + handed; // pcap_breakloop: the rest waits for the next read
                break;
            }
        }
        if (delivered == 0 && TakeBreak()) return PcapError.Break;
        return delivered;
    }

    /// <summary>Waits for messages (the timeout, in libpcap's 100 ms slices) and takes every one received: 1, 0 on timeout, -1 or -2.</summary>
    int Receive()
    {
        if (disconnected)
        {
            Error = "Disconnected";
            return PcapError.Error;
        }
        long deadline = TimeoutOption > 0 ? Environment.TickCount64 + TimeoutOption : long.MaxValue;
        IntPtr message = LibDbus.ConnectionPopMessage(connection);
        while (message == IntPtr.Zero)
        {
            int slice = (int)Math.Clamp(deadline - Environment.TickCount64, 0, SliceMs);
            if (LibDbus.ConnectionReadWrite(connection, slice) == 0)
            {
                Error = "Connection closed";
                return PcapError.Error;
            }
            if (TakeBreak()) return PcapError.Break;
            message = LibDbus.ConnectionPopMessage(connection);
            if (message == IntPtr.Zero && Environment.TickCount64 >= deadline) return 0;
        }
        long now = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;
        var stamp = new PacketHeader { TvSec = now / TimeSpan.TicksPerSecond, TvUsec = now % TimeSpan.TicksPerSecond / 10 };
        for (; message != IntPtr.Zero; message = LibDbus.ConnectionPopMessage(connection))
        {
            if (IsDisconnected(message))
            {
                LibDbus.MessageUnref(message);
                disconnected = true;
                break;
            }
            byte* raw;
            int length;
            if (LibDbus.MessageMarshal(message, &raw, &length) != 0)
            {
                if (Filter == null || Filter.Run(raw, (uint)length, (uint)length) != 0)
                    messages.Add(((IntPtr)raw, stamp with { CapLen = (uint)length, Len = (uint)length }));
                else
                    LibDbus.Free(raw);
            }
            LibDbus.MessageUnref(message);
        }
        if (next == messages.Count && disconnected)
        {
            Error = "Disconnected";
            return PcapError.Error;
        }
        return 1;
    }

    static bool IsDisconnected(IntPtr message)
    {
        fixed (byte* iface = "org.freedesktop.DBus.Local\0"u8)
        fixed (byte* name = "Disconnected\0"u8)
            return LibDbus.MessageIsSignal(message, iface, name) != 0;
    }

    /// <summary>Frees the messages handed out by the previous read (their pointers were valid until now).</summary>
    void ReleaseDelivered()
    {
        if (next == 0) return;
        for (int i = 0; i < next; i++) LibDbus.Free((void*)messages[i].Data);
        messages.RemoveRange(0, next);
        next = 0;
    }

    /// <summary>libpcap's dbus_write: the frame is a marshalled message, sent on the connection; returns 0 as libpcap does.</summary>
    protected override int InjectOp(byte* frame, int length)
    {
        LibDbus.Error error;
        LibDbus.ErrorInit(&error);
        IntPtr message = LibDbus.MessageDemarshal(frame, length, &error);
        if (message == IntPtr.Zero)
        {
            Error = "dbus_message_demarshal() failed: " + error.Text;
            LibDbus.ErrorFree(&error);
            return PcapError.Error;
        }
        LibDbus.ConnectionSend(connection, message, null);
        LibDbus.ConnectionFlush(connection);
        LibDbus.MessageUnref(message);
        return 0;
    }

    protected override void CloseModule()
    {
        foreach (var (data, _) in messages) LibDbus.Free((void*)data);
        messages.Clear();
        next = 0;
        if (connection != IntPtr.Zero)
        {
            // A private connection: closing it ends the bus's matches for it.
            LibDbus.ConnectionClose(connection);
            LibDbus.ConnectionUnref(connection);
            connection = IntPtr.Zero;
        }
        batch?.Dispose();
        batch = null;
        if (Block != null && Block->StatsSource == StatsSource.Counters) Block->StatsSource = StatsSource.NotActivated;
    }
}
