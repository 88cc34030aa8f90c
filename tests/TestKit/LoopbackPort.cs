using System.Net.Sockets;

namespace TestKit;

public static class LoopbackPort
{
    /// <summary>A port on 127.0.0.1 nothing listens on right now (also a "server down" address).</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
