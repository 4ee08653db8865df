using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>
/// pcap_set_snaplen, pcap_set_promisc, pcap_set_rfmon, pcap_set_timeout, pcap_set_buffer_size,
/// pcap_set_immediate_mode, pcap_set_tstamp_type, pcap_set_tstamp_precision,
/// pcap_set_protocol_linux: options recorded before pcap_activate, PCAP_ERROR_ACTIVATED after.
/// </summary>
static class SetOptions
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_set_snaplen")]
    public static int SetSnaplen(IntPtr p, int snaplen)
    {
        try
        {
            var h = Handle.FromPcap(p).Settable(out int status);
            if (h != null) h.SnapLengthOption = snaplen;
            return status;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_set_promisc")]
    public static int SetPromisc(IntPtr p, int promisc)
    {
        try
        {
            var h = Handle.FromPcap(p).Settable(out int status);
            if (h != null) h.PromiscOption = promisc != 0;
            return status;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_set_rfmon")]
    public static int SetRfmon(IntPtr p, int rfmon)
    {
        try
        {
            var h = Handle.FromPcap(p).Settable(out int status);
            if (h != null) h.RfmonOption = rfmon != 0;
            return status;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_set_timeout")]
    public static int SetTimeout(IntPtr p, int timeoutMs)
    {
        try
        {
            var h = Handle.FromPcap(p).Settable(out int status);
            if (h != null) h.TimeoutOption = timeoutMs;
            return status;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_set_buffer_size")]
    public static int SetBufferSize(IntPtr p, int bufferSize)
    {
        try
        {
            var h = Handle.FromPcap(p).Settable(out int status);
            // libpcap ignores sizes <= 0 silently.
            if (h != null && bufferSize > 0) h.BufferSizeOption = bufferSize;
            return status;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_set_immediate_mode")]
    public static int SetImmediateMode(IntPtr p, int immediate)
    {
        try
        {
            var h = Handle.FromPcap(p).Settable(out int status);
            if (h != null) h.ImmediateOption = immediate != 0;
            return status;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_set_tstamp_type")]
    public static int SetTstampType(IntPtr p, int type)
    {
        try
        {
            var h = Handle.FromPcap(p).Settable(out int status);
            if (h == null) return status;
            if (type < 0) return PcapError.WarningTstampTypeNotSup;
            var types = h.TimestampTypes;
            // No list means host stamps only.
            if (types.Length == 0 ? type == 0 : Array.IndexOf(types, type) >= 0)
            {
                h.TimestampTypeOption = type;
                return 0;
            }
            return PcapError.WarningTstampTypeNotSup;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_set_tstamp_precision")]
    public static int SetTstampPrecision(IntPtr p, int precision)
    {
        try
        {
            var h = Handle.FromPcap(p).Settable(out int status);
            if (h == null) return status;
            if (precision < 0) return PcapError.TstampPrecisionNotSup;
            var offered = h.Precisions;
            if (offered.Length == 0 ? precision == 0 : Array.IndexOf(offered, (TimestampPrecision)precision) >= 0)
            {
                h.PrecisionOption = (TimestampPrecision)precision;
                return 0;
            }
            return PcapError.TstampPrecisionNotSup;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_set_protocol_linux")]
    public static int SetProtocolLinux(IntPtr p, int protocol)
    {
        try
        {
            var h = Handle.FromPcap(p).Settable(out int status);
            if (h != null) h.ProtocolOption = protocol;
            return status;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
