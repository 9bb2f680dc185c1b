using System.Net;

namespace EdgeInfra.Service;

/// <summary>Where the service listens: an IP address and port (<c>127.0.0.1:8080</c>, <c>[::1]:8080</c>,
/// <c>localhost:8080</c>, <c>0.0.0.0:8080</c>; port 0 picks a free one).</summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    public static readonly ListenAddress Default = new(IPAddress.Loopback, 8080);

    /// <summary>True when only this machine can connect.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>Parses the text of <c>--listen</c>; null when it is not an address and port.</summary>
    public static ListenAddress? TryParse(string text)
    {
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
            return int.TryParse(text["localhost:".Length..], out var p) && p is >= 0 and <= 65535 ? new(IPAddress.Loopback, p) : null;
        // An IPv6 address needs its brackets, or "::1" would parse as port 0.
        var hasPort = text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;
        return hasPort && IPEndPoint.TryParse(text, out var ep) ? new(ep.Address, ep.Port) : null;
    }

    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}
