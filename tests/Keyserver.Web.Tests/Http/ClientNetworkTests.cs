using Keyserver.Web.Http;

namespace Keyserver.Web.Tests.Http;

public sealed class ClientNetworkTests
{
    public static TheoryData<string, string> ClientAddresses => new()
    {
        { "203.0.113.7", "203.0.113.7" },
        { "::ffff:203.0.113.7", "203.0.113.7" },
        { "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64" },
        { "2001:db8:1:2::1", "2001:db8:1:2::/64" },
        { "::1", "::/64" },
    };

    [Theory]
    [MemberData(nameof(ClientAddresses))]
    public void Of_IPv6CountsBySlash64_IPv4ByAddress(string address, string network) =>
        Assert.Equal(network, ClientNetwork.Of(IPAddress.Parse(address)));
}
