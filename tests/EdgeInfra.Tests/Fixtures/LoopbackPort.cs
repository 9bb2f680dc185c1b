using System.Net;
using System.Net.Sockets;

namespace EdgeInfra.Tests.Fixtures;

/// <summary>Free loopback ports for the servers tests start, found by binding port 0.</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on right now: for a server to bind next, or for a peer that is down.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
