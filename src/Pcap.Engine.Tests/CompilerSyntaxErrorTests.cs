using Pcap.Engine.Compiler;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

public class CompilerSyntaxErrorTests
{
    // libpcap 1.10.3 (checked with tcpdump -d on Debian's library): bison generates the code of an id in
    // parentheses before it reads the token after ')', so an id with no qualifier to take ("ah or ...")
    // fails in gencode first, with gencode's text, even when an arithmetic operator follows.
    [Theory]
    [InlineData("ah or (1.2.3.4) +", "syntax error in filter expression")]
    [InlineData("ah or (1.2.3.4) 5", "syntax error in filter expression")]
    [InlineData("ah or 1.2.3.4 +", "syntax error in filter expression")]
    [InlineData("udp or host", "can't parse filter expression: syntax error")]
    public void ErrorTextIsLibpcaps(string expression, string text)
    {
        Assert.False(FilterCompiler.TryCompile(expression, 1, 262144, true, 0xffffffff, out _, out string error));
        Assert.Equal(text, error);
    }
}
