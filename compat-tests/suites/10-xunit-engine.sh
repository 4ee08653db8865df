#!/bin/sh
# xunit tests of the engine: readers, BPF machine, compiler, capture-module units.
cd "$(dirname "$0")/../.." || exit 1
dotnet test src/Pcap.Engine.Tests/Pcap.Engine.Tests.csproj -c Release --nologo -v:q 2>&1 | grep -vE '^\s*$' | tail -40
