using System.Globalization;
using System.Text;

namespace EdgeInfra.Providers.Ssh;

/// <summary>What one SSH operation on a device cost: when it was asked for, got a concurrency slot, and finished.</summary>
/// <param name="Kind">"connect" or the kind of command ("write", "read", "probe", "install", "restart").</param>
/// <param name="KeyExchanged">For a connect: when the server's host key arrived (TCP, version exchange and key exchange
/// done; authentication follows).</param>
/// <param name="KeyExchange">For a connect: the key exchange method agreed on.</param>
public sealed record SshOperationTiming(string Store, string Kind, string What, TimeSpan Queued, TimeSpan Started, TimeSpan Ended,
    TimeSpan? KeyExchanged = null, string? KeyExchange = null)
{
    public TimeSpan Waited => Started - Queued;
    public TimeSpan Took => Ended - Started;
}

/// <summary>Every SSH operation of a run with its timestamps, and the most operations that were in flight at once.</summary>
/// <remarks>For finding out where a slow bootstrap of many stores spends its time (<c>EDGEINFRA_TIMINGS=1</c>); costs a
/// clock read and a lock per operation.</remarks>
public sealed class SshTimings(TimeProvider time)
{
    private readonly long _origin = time.GetTimestamp();
    private readonly List<SshOperationTiming> _entries = [];
    private readonly Lock _gate = new();
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Operations that held a slot at the same moment, at most.</summary>
    public int MaxInFlight { get { lock (_gate) return _maxInFlight; } }

    public IReadOnlyList<SshOperationTiming> Entries { get { lock (_gate) return [.. _entries]; } }

    internal TimeSpan Now => time.GetElapsedTime(_origin);

    internal void Started()
    {
        lock (_gate) _maxInFlight = Math.Max(_maxInFlight, ++_inFlight);
    }

    internal void Finished(SshOperationTiming entry)
    {
        lock (_gate)
        {
            _inFlight--;
            _entries.Add(entry);
        }
    }

    /// <summary>One line per kind of operation (count, median and longest time in a slot and waiting for one), the
    /// in-flight peak and the span from the first operation asked for to the last one done.</summary>
    public string Summary()
    {
        var entries = Entries;
        if (entries.Count == 0) return "ssh: no operations";
        var text = new StringBuilder();
        var span = entries.Max(e => e.Ended) - entries.Min(e => e.Queued);
        var stores = entries.Select(e => e.Store).Distinct(StringComparer.Ordinal).Count();
        text.Append(CultureInfo.InvariantCulture, $"ssh: {entries.Count} operations on {stores} devices in {Ms(span)}, at most {MaxInFlight} in flight at once");
        foreach (var kind in entries.GroupBy(e => e.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var took = kind.Select(e => e.Took).Order().ToList();
            var waited = kind.Select(e => e.Waited).Order().ToList();
            text.Append(CultureInfo.InvariantCulture,
                $"\nssh: {kind.Key,-8} ×{kind.Count(),-4} took median {Ms(took[took.Count / 2])}, max {Ms(took[^1])}; waited for a slot median {Ms(waited[waited.Count / 2])}, max {Ms(waited[^1])}");
            var kex = kind.Where(e => e.KeyExchanged is not null).Select(e => e.KeyExchanged!.Value - e.Started).Order().ToList();
            if (kex.Count > 0) text.Append(CultureInfo.InvariantCulture, $"; to host key median {Ms(kex[kex.Count / 2])}, max {Ms(kex[^1])}");
            var methods = kind.Where(e => e.KeyExchange is not null).Select(e => e.KeyExchange).Distinct(StringComparer.Ordinal).ToList();
            if (methods.Count > 0) text.Append("; key exchange ").Append(string.Join(", ", methods));
        }
        return text.ToString();
    }

    /// <summary>Every operation as a tab-separated line (milliseconds since the provider was created).</summary>
    public string Trace()
    {
        var text = new StringBuilder("store\tkind\twhat\tqueued_ms\tstarted_ms\tkey_exchanged_ms\tended_ms\tkey_exchange\n");
        foreach (var e in Entries.OrderBy(e => e.Queued))
            text.Append(CultureInfo.InvariantCulture,
                $"{e.Store}\t{e.Kind}\t{e.What}\t{e.Queued.TotalMilliseconds:F1}\t{e.Started.TotalMilliseconds:F1}\t{e.KeyExchanged?.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) ?? ""}\t{e.Ended.TotalMilliseconds:F1}\t{e.KeyExchange}\n");
        return text.ToString();
    }

    private static string Ms(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:F0} ms");
}
