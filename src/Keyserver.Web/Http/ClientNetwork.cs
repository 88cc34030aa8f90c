using System.Net;
using System.Net.Sockets;

namespace Keyserver.Web.Http;

/// <summary>
/// The network a request comes from, as mail budgets count it: an IPv4 address alone, an IPv6
/// address by its /64 (one subscriber usually holds a whole /64, RFC 6177 §2).
/// </summary>
internal static class ClientNetwork
{
    public static string? Of(HttpContext context) => context.Connection.RemoteIpAddress is { } address ? Of(address) : null;

    public static string Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
