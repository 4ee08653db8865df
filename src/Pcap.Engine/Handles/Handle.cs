using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Handles;

/// <summary>
/// A pcap handle: the managed side of a <c>pcap_t</c>. Capture modules and savefiles derive from it
/// and provide <see cref="Read"/> (libpcap's read_op); the loop, dispatch and next logic of
/// libpcap's pcap.c lives here once for all of them.
/// </summary>
public abstract unsafe partial class Handle : IDisposable
{
    GCHandle self;
    PacketHeader* nextHeader; // pcap_next_ex hands out a pointer to this; valid until the next call
    OneShotSink? nextExSink;

    protected Handle()
    {
        Block = (HandleBlock*)NativeMemory.AllocZeroed((nuint)HandleBlock.Size);
        nextHeader = (PacketHeader*)NativeMemory.AllocZeroed((nuint)sizeof(PacketHeader));
        Block->Magic = HandleBlock.MagicValue;
        Block->WakeFd = -1;
        Block->StatsFd = -1;
        Block->InjectFd = -1;
        self = GCHandle.Alloc(this);
        Block->Engine = (long)GCHandle.ToIntPtr(self);
    }

    /// <summary>The <c>pcap_t *</c> handed to C.</summary>
    public HandleBlock* Block { get; private set; }

    public int LinkType { get; set; }
    public int Snapshot { get; set; }
    public TimestampPrecision Precision { get; set; }
    public bool Activated { get; protected set; }

    /// <summary>pcap_bufsize: the size of the handle's packet buffer (libpcap's bufsize); 0 where there is none.</summary>
    public virtual int BufferSize => 0;

    /// <summary>True for savefiles: pcap_loop ends at end of file instead of reading again.</summary>
    public virtual bool IsSavefile => false;

    Bpf.Program? filter;

    /// <summary>The user-space filter, or null to accept every packet.</summary>
    public Bpf.Program? Filter
    {
        get => filter;
        set
        {
            filter = value;
            FilterChanged();
        }
    }

    /// <summary>Called when the filter changes: a module that filtered packets ahead must filter them again.</summary>
    protected virtual void FilterChanged() { }

    /// <summary>The handle a <c>pcap_t *</c> from C refers to.</summary>
    public static Handle FromPcap(IntPtr p)
    {
        var block = (HandleBlock*)p;
        if (block == null || block->Magic != HandleBlock.MagicValue)
            throw new PcapException("invalid pcap_t");
        return (Handle)GCHandle.FromIntPtr((IntPtr)block->Engine).Target!;
    }

    public string Error
    {
        get => HandleBlock.ReadText(Block->Errbuf);
        set => HandleBlock.WriteText(Block->Errbuf, HandleBlock.ErrbufSize, value);
    }

    /// <summary>
    /// libpcap's read_op: delivers at most <paramref name="maxPackets"/> packets that pass the filter
    /// (all of one buffer or ring batch when it is 0 or negative). Returns how many were delivered, 0 on
    /// timeout or end of file, <see cref="PcapError.Error"/> with <see cref="Error"/> set, or
    /// <see cref="PcapError.Break"/> after <c>pcap_breakloop</c>.
    /// </summary>
    protected abstract int Read(int maxPackets, IPacketSink sink);

    /// <summary>Consumes a pending <c>pcap_breakloop</c>: true if the reader must return <see cref="PcapError.Break"/>.</summary>
    protected bool TakeBreak()
    {
        if (Block->BreakLoop == 0) return false;
        Block->BreakLoop = 0;
        return true;
    }

    public int Dispatch(int count, IPacketSink sink) => Activated ? Read(count, sink) : NotActivated();

    public int Loop(int count, IPacketSink sink)
    {
        if (!Activated) return NotActivated();
        for (;;)
        {
            int n;
            if (IsSavefile)
                n = Read(count, sink);
            else
                do n = Read(count, sink); while (n == 0);
            if (n <= 0) return n;
            if (count > 0)
            {
                count -= n;
                if (count <= 0) return 0;
            }
        }
    }

    /// <summary><c>pcap_next_ex</c>: 1 with a packet, 0 on timeout, -1 on error, -2 at end of file or after a break.</summary>
    public virtual int NextEx(out PacketHeader* header, out byte* data)
    {
        // One sink per handle: pcap_next_ex is the per-packet call, so it must not allocate.
        var sink = nextExSink ??= new OneShotSink(nextHeader);
        sink.Data = null;
        int status = Activated ? Read(1, sink) : NotActivated();
        header = nextHeader;
        data = sink.Data;
        if (IsSavefile && status == 0) return PcapError.Break;
        return status;
    }

    /// <summary><c>pcap_next</c>: the packet, or null when none was delivered.</summary>
    public byte* Next(PacketHeader* header)
    {
        var sink = new OneShotSink(header);
        return (Activated ? Read(1, sink) : NotActivated()) > 0 ? sink.Data : null;
    }

    sealed class OneShotSink(PacketHeader* target) : IPacketSink
    {
        public byte* Data;

        public void Packet(PacketHeader* header, byte* data)
        {
            *target = *header;
            Data = data;
        }
    }

    /// <summary>Releases what the module holds (fds, maps, buffers); the block stays until <see cref="Dispose"/>.</summary>
    protected virtual void CloseModule() { }

    public void Dispose()
    {
        if (Block == null) return;
        CloseModule();
        Filter?.Dispose(); // its machine code too
        Filter = null;
        self.Free();
        NativeMemory.Free(nextHeader);
        NativeMemory.Free(Block);
        nextHeader = null;
        Block = null;
        GC.SuppressFinalize(this);
    }
}
