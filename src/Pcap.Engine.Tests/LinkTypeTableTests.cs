using System;
using Pcap.Engine.Handles;
using Pcap.Engine.LinkTypes;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>The link-type, time-stamp-type and status tables against the system libpcap's.</summary>
public unsafe class LinkTypeTableTests
{
    [Fact]
    public void EveryValueHasLibpcapsNameAndDescription()
    {
        int named = 0;
        for (int dlt = -5; dlt <= 1000; dlt++)
        {
            Assert.Equal(BpfReference.Text(BpfReference.DatalinkValToName(dlt)), LinkTypeTable.Name(dlt));
            Assert.Equal(BpfReference.Text(BpfReference.DatalinkValToDescription(dlt)), LinkTypeTable.Description(dlt));
            if (LinkTypeTable.Name(dlt) != null) named++;
        }
        Assert.Equal(LinkTypeTable.Entries.Length, named);
        Assert.True(named > 140, "libpcap 1.10.3 names over 140 link types");
    }

    [Fact]
    public void DescriptionOrDltFallsBackToTheNumber()
    {
        foreach (int dlt in new[] { -5, 2, 147, 300, 65535, int.MinValue })
        {
            Assert.Null(LinkTypeTable.Description(dlt));
            Assert.Equal(BpfReference.Text(BpfReference.DatalinkValToDescriptionOrDlt(dlt)), "DLT " + dlt);
        }
    }

    [Fact]
    public void NamesResolveIgnoringAsciiCaseOnly()
    {
        foreach (var e in LinkTypeTable.Entries)
            foreach (string name in new[] { e.Name, e.Name.ToLowerInvariant(), Mixed(e.Name), "DLT_" + e.Name, e.Name + " " })
                Assert.Equal(BpfReference.WithUtf8(name, p => BpfReference.DatalinkNameToVal((byte*)p)), LinkTypeTable.Value(name));
        // U+017F LATIN SMALL LETTER LONG S upper-cases to 'S' in .NET but not in libpcap's ASCII table.
        foreach (string name in new[] { "\u017flip", "", "bogus", "en10mb\u0130" })
            Assert.Equal(BpfReference.WithUtf8(name, p => BpfReference.DatalinkNameToVal((byte*)p)), LinkTypeTable.Value(name));
    }

    static string Mixed(string s)
    {
        var c = s.ToCharArray();
        for (int i = 0; i < c.Length; i += 2) c[i] = char.ToLowerInvariant(c[i]);
        return new string(c);
    }

    [Fact]
    public void TimestampTypesMatchLibpcap()
    {
        for (int t = -3; t <= 10; t++)
        {
            var e = TimestampTypes.Find(t);
            Assert.Equal(BpfReference.Text(BpfReference.TstampTypeValToName(t)), e?.Name);
            Assert.Equal(BpfReference.Text(BpfReference.TstampTypeValToDescription(t)), e?.Description);
        }
        foreach (string name in new[] { "host", "HOST", "Host_HiPrec", "adapter_unsynced", "host_hiprec_unsynced", "bogus", "", "hostx" })
            Assert.Equal(BpfReference.WithUtf8(name, p => BpfReference.TstampTypeNameToVal((byte*)p)), TimestampTypes.Value(name));
    }

    [Fact]
    public void StatusTextsMatchLibpcap()
    {
        for (int s = -20; s <= 5; s++)
            Assert.Equal(BpfReference.Text(BpfReference.StatusToStr(s)), StatusText.Of(s));
        Assert.Null(StatusText.Known(0)); // libpcap has no text for 0 either
        Assert.NotNull(StatusText.Known(-1));
    }
}
