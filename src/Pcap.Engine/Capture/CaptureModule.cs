using System.Collections.Generic;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Capture;

/// <summary>
/// A capture module (libpcap's doc/README.capture-module): claims device names, creates handles
/// that are activated later, and lists its devices for pcap_findalldevs.
/// </summary>
public abstract class CaptureModule
{
    /// <summary>True if this module captures on <paramref name="device"/> (checked in registration order).</summary>
    public abstract bool Claims(string device);

    /// <summary>pcap_create for a claimed name: a handle with default options, not yet activated.</summary>
    public abstract LiveHandle Create(string device);

    /// <summary>True for a claimed name pcap_lookupnet answers net 0, mask 0 for without asking the kernel.</summary>
    public virtual bool HasNoNetwork(string device) => false;

    /// <summary>Adds this module's devices to pcap_findalldevs' list.</summary>
    public virtual void FindAllDevices(List<Device> devices) { }
}
