using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Linux;

/// <summary>The memory-mapped ring: libpcap's prepare_tpacket_socket, create_ring and destroy_ring.</summary>
public sealed unsafe partial class PacketSocketHandle
{
    int tpVersion;
    int tpHeaderLength;
    byte* ring;
    nuint ringLength;
    byte** frames;      // V3: one entry per block; V2: one per frame (frames do not straddle blocks)
    int frameCount;
    uint frameLength;   // V3 block size or V2 frame size: the bound of a frame's mac + snaplen
    int ringFrameSize;  // tp_frame_size, which libpcap reports as the buffer size

    /// <summary>pcap_bufsize: libpcap reports the ring's frame size (a whole block's worth for TPACKET_V3).</summary>
    public override int BufferSize => ring != null ? ringFrameSize : 0;

    /// <summary>Version, reserve, ring and map; returns 0, a warning, or an error code with the text set.</summary>
    int SetupRing()
    {
        // TPACKET_V3 hands over whole blocks, which batches delivery; immediate mode wants every
        // packet at once, so it uses TPACKET_V2 as libpcap does.
        tpVersion = ImmediateOption ? Tpacket.V2 : Tpacket.V3;
        int version = tpVersion;
        if (Libc.SetSockOpt(fd, Libc.SOL_PACKET, Libc.PACKET_VERSION, &version, 4) < 0)
        {
            Error = Libc.ErrnoMessage("can't set up TPACKET_V" + (tpVersion + 1) + " on packet socket", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }
        tpHeaderLength = tpVersion == Tpacket.V3 ? Tpacket.V3HeaderLength : Tpacket.V2HeaderLength;

        // Room to put back a VLAN tag, and in cooked mode for the SLL2 header, which is 4 bytes longer than SLL.
        int reserve = Tpacket.VlanTagLength + (cooked ? Tpacket.Sll2HeaderLength - Tpacket.SllHeaderLength : 0);
        if (Libc.SetSockOpt(fd, Libc.SOL_PACKET, Libc.PACKET_RESERVE, &reserve, 4) < 0)
        {
            Error = Libc.ErrnoMessage("setsockopt (PACKET_RESERVE)", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }

        uint frameSize;
        if (tpVersion == Tpacket.V3)
        {
            frameSize = MaximumSnapLength; // a "frame" is a block holding many packets
        }
        else
        {
            // The snap length, bounded on Ethernet by the largest frame the device can hand over.
            uint wanted = (uint)Snapshot;
            if (LinkType == DltEn10Mb)
            {
                var mtu = new IfReq(Device);
                if (mtu.Ioctl(fd, 0x8921 /* SIOCGIFMTU */, out int errno) < 0)
                {
                    Error = Libc.ErrnoMessage("SIOCGIFMTU", errno);
                    return PcapError.Error;
                }
                uint maxFrame = (uint)(Ethtool.AnyOffload(fd, Device) ? Math.Max(mtu.Int, 65535) : mtu.Int) + 18;
                wanted = Math.Min(wanted, maxFrame);
            }
            int macLength = cooked ? 0 : Tpacket.MaxLinkHeaderSize;
            int headerLength = Tpacket.Align(tpHeaderLength) + Tpacket.SockaddrLlLength;
            int netOffset = Tpacket.Align(headerLength + Math.Max(macLength, 16)) + reserve;
            int macOffset = netOffset - macLength;
            frameSize = (uint)Tpacket.Align(macOffset + (int)wanted);
        }
        var (blockSize, frameNr) = RingGeometry.Of(tpVersion, frameSize, BufferSizeOption, Environment.SystemPageSize);
        uint framesPerBlock = blockSize / frameSize;

        int tstamp = SetupTimestamping();
        if (tstamp < 0) return tstamp;

        // struct tpacket_req3 (V2 reads the first four fields as struct tpacket_req).
        uint* req = stackalloc uint[7];
        for (;;)
        {
            uint blockNr = frameNr / framesPerBlock;
            frameNr = blockNr * framesPerBlock;
            req[0] = blockSize;
            req[1] = blockNr;
            req[2] = frameSize;
            req[3] = frameNr;
            req[4] = TimeoutOption > 0 ? (uint)TimeoutOption : TimeoutOption == 0 ? uint.MaxValue : 0; // retire_blk_tov
            req[5] = 0; // sizeof_priv
            req[6] = 0; // feature_req_word
            uint length = tpVersion == Tpacket.V3 ? 28u : 16u;
            if (Libc.SetSockOpt(fd, Libc.SOL_PACKET, Libc.PACKET_RX_RING, req, length) == 0) break;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ENOMEM && blockNr > 1)
            {
                // Shrink by 5 % and try again, as libpcap does.
                frameNr -= frameNr < 20 ? 1 : frameNr / 20;
                continue;
            }
            Error = Libc.ErrnoMessage("can't create rx ring on packet socket", errno);
            return PcapError.Error;
        }

        ringFrameSize = (int)req[2];
        ringLength = (nuint)req[0] * req[1];
        ring = (byte*)Libc.Mmap(null, ringLength, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
        if (ring == Libc.MapFailed)
        {
            ring = null;
            Error = Libc.ErrnoMessage("can't mmap rx ring", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }

        if (tpVersion == Tpacket.V3)
        {
            frameCount = (int)req[1];
            frameLength = blockSize;
            frames = (byte**)NativeMemory.Alloc((nuint)frameCount, (nuint)sizeof(byte*));
            for (int i = 0; i < frameCount; i++) frames[i] = ring + (nuint)i * blockSize;
        }
        else
        {
            frameCount = (int)req[3];
            frameLength = frameSize;
            frames = (byte**)NativeMemory.Alloc((nuint)frameCount, (nuint)sizeof(byte*));
            int k = 0;
            for (uint b = 0; b < req[1]; b++)
                for (uint f = 0; f < framesPerBlock; f++)
                    frames[k++] = ring + (nuint)b * blockSize + f * frameSize;
        }
        offset = 0;
        return tstamp;
    }

    /// <summary>
    /// Hardware time stamps for the adapter types (SIOCSHWTSTAMP, then PACKET_TIMESTAMP); host
    /// stamps need nothing. Returns 0, the not-supported warning, or an error code.
    /// </summary>
    int SetupTimestamping()
    {
        if (TimestampTypeOption is not (3 or 4)) return 0;
        int status = 0;
        int* config = stackalloc int[3];
        config[0] = 0;
        config[1] = 1; // HWTSTAMP_TX_ON
        config[2] = 1; // HWTSTAMP_FILTER_ALL
        var ifr = new IfReq(Device);
        ifr.SetData(config);
        if (ifr.Ioctl(fd, 0x89b0 /* SIOCSHWTSTAMP */, out int errno) < 0)
        {
            switch (errno)
            {
                case EPERM:
                    Error = "Attempt to set hardware timestamp failed - CAP_NET_ADMIN may be required";
                    return PcapError.PermDenied;
                case EOPNOTSUPP:
                case 34: // ERANGE
                    status = PcapError.WarningTstampTypeNotSup;
                    break;
                default:
                    Error = Libc.ErrnoMessage("SIOCSHWTSTAMP failed", errno);
                    return PcapError.Error;
            }
        }
        int source = TimestampTypeOption == 3 ? 1 << 5 : 1 << 6; // SOF_TIMESTAMPING_SYS_HARDWARE / RAW_HARDWARE
        if (Libc.SetSockOpt(fd, Libc.SOL_PACKET, Libc.PACKET_TIMESTAMP, &source, 4) < 0)
        {
            Error = Libc.ErrnoMessage("can't set PACKET_TIMESTAMP", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }
        return status;
    }

    void DestroyRing()
    {
        if (ring != null)
        {
            // Turn the ring off before unmapping, as libpcap does.
            uint* req = stackalloc uint[7];
            new Span<uint>(req, 7).Clear();
            Libc.SetSockOpt(fd, Libc.SOL_PACKET, Libc.PACKET_RX_RING, req, tpVersion == Tpacket.V3 ? 28u : 16u);
            Libc.Munmap(ring, ringLength);
            ring = null;
        }
        if (frames != null)
        {
            NativeMemory.Free(frames);
            frames = null;
        }
        heldStatus = null;
        currentPacket = null;
        NativeMemory.Free(oneshot);
        oneshot = null;
        NativeMemory.Free(batchHeaders);
        NativeMemory.Free(batchData);
        batchHeaders = null;
        batchData = null;
        leftoverStart = leftoverCount = 0;
    }
}
