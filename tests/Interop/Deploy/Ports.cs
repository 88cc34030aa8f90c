namespace Interop.Tests.Deploy;

/// <summary>Free loopback ports for the peers (prometheus, nginx) and the server's second listener.</summary>
internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
