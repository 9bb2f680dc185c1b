using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeInfra.Rollout.Persistence;

namespace EdgeInfra.Rollout.Audit;

/// <summary>A stack's append-only, hash-chained audit log: one JSON line per entry, <c>{"entry":{…},"hash":"…"}</c>,
/// where each entry carries its predecessor's SHA-256, plus a head file naming the last entry.</summary>
/// <remarks>
/// Changing, removing or reordering a past entry breaks the chain at that entry; cutting entries off the end is caught
/// by the head file. Appends from several processes (the walker, <c>freeze</c>, a manual <c>rollback</c>) serialise on
/// an exclusive open of the log. A kill mid-append leaves at most a torn last line after the head's length, which the
/// next append removes: it was never acknowledged.
/// </remarks>
public sealed class AuditLog(RolloutPaths paths)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private HashSet<string>? _keys;
    private long _keysThrough = -1;

    /// <summary>Appends <paramref name="record"/>; when it has a key already in the log, returns null and appends nothing.</summary>
    public async Task<AuditEntry?> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(paths.Dir);
        await using var fs = await OpenExclusiveAsync(cancellationToken);
        var head = AtomicJson.Read<AuditHead>(paths.AuditHead);
        if (head is null || head.Length != fs.Length || _keys is null || _keysThrough != fs.Length)
            head = Rescan(fs);
        if (record.Key is not null && _keys!.Contains(record.Key)) return null;

        var entry = Encode(head.Count + 1, record, head.Hash, out var line);
        fs.Seek(0, SeekOrigin.End);
        await fs.WriteAsync(line, cancellationToken);
        await fs.WriteAsync(Newline, cancellationToken);
        await fs.FlushAsync(cancellationToken);
        fs.Flush(flushToDisk: paths.Durable);
        AtomicJson.Write(paths.AuditHead, new AuditHead(entry.Seq, entry.Hash, fs.Length), paths.Durable);
        if (record.Key is not null) _keys!.Add(record.Key);
        _keysThrough = fs.Length;
        return entry;
    }

    /// <summary>Reads and verifies the whole log: every entry, and every break in the chain found.</summary>
    public AuditReading Read()
    {
        if (!File.Exists(paths.Audit)) return new AuditReading([], []);
        var bytes = File.ReadAllBytes(paths.Audit);
        var entries = new List<AuditEntry>();
        var problems = new List<string>();
        var prev = Genesis;
        var lineNo = 0;
        var lastComplete = bytes.AsSpan().LastIndexOf((byte)'\n') + 1;
        foreach (var range in Lines(bytes.AsMemory(0, lastComplete)))
        {
            lineNo++;
            if (!TryDecode(range.Span, out var entry, out var rawHash, out var error))
            {
                problems.Add($"line {lineNo}: {error}");
                continue;
            }
            if (rawHash != entry.Hash) problems.Add($"line {lineNo} (entry {entry.Seq}): content does not match its hash; the entry was changed");
            if (entry.Prev != prev) problems.Add($"line {lineNo} (entry {entry.Seq}): previous-entry hash does not match line {lineNo - 1}; an entry before it was changed, removed or reordered");
            if (entry.Seq != lineNo) problems.Add($"line {lineNo}: entry number {entry.Seq} where {lineNo} was expected; entries were removed or reordered");
            entries.Add(entry);
            prev = entry.Hash;
        }
        var head = AtomicJson.Read<AuditHead>(paths.AuditHead);
        if (head is not null && head.Count > entries.Count)
            problems.Add($"the log has {entries.Count} entries but its head records {head.Count}; entries were cut off the end");
        else if (head is not null && entries.Count >= head.Count && head.Count > 0 && entries[(int)head.Count - 1].Hash != head.Hash)
            problems.Add($"entry {head.Count} does not match the hash its head records; the log was rewritten");
        return new AuditReading(entries, problems);
    }

    private AuditHead Rescan(FileStream fs)
    {
        var bytes = new byte[fs.Length];
        fs.Seek(0, SeekOrigin.Begin);
        fs.ReadExactly(bytes);
        var complete = bytes.AsSpan().LastIndexOf((byte)'\n') + 1;
        if (complete < bytes.Length) fs.SetLength(complete); // a torn line from a killed append: never acknowledged
        var keys = new HashSet<string>(StringComparer.Ordinal);
        long count = 0;
        var hash = Genesis;
        foreach (var range in Lines(bytes.AsMemory(0, complete)))
        {
            if (!TryDecode(range.Span, out var entry, out _, out _)) continue;
            count = entry.Seq;
            hash = entry.Hash;
            if (entry.Record.Key is not null) keys.Add(entry.Record.Key);
        }
        _keys = keys;
        _keysThrough = complete;
        return new AuditHead(count, hash, complete);
    }

    private async Task<FileStream> OpenExclusiveAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(paths.Audit, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 500)
            {
                // Another process is appending (a few milliseconds): wait in real time, whatever clock the rollout runs on.
                await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, cancellationToken);
            }
        }
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Lines(ReadOnlyMemory<byte> bytes)
    {
        var start = 0;
        while (start < bytes.Length)
        {
            var end = bytes.Span[start..].IndexOf((byte)'\n');
            var stop = end < 0 ? bytes.Length : start + end;
            if (stop > start) yield return bytes[start..stop];
            start = stop + 1;
        }
    }

    private static AuditEntry Encode(long seq, AuditRecord record, string prev, out byte[] line)
    {
        var body = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteNumber("seq", seq);
            w.WriteString("time", record.Time.UtcDateTime.ToString("O"));
            w.WriteString("actor", record.Actor);
            w.WriteString("action", record.Action);
            w.WriteString("stack", record.Stack);
            if (record.Ring is not null) w.WriteString("ring", record.Ring);
            if (record.Release is not null) w.WriteString("release", record.Release);
            if (record.Reason is not null) w.WriteString("reason", record.Reason);
            if (record.Stores is { Count: > 0 } stores)
            {
                w.WriteStartArray("stores");
                foreach (var s in stores) w.WriteStringValue(s);
                w.WriteEndArray();
            }
            if (record.Data is { Count: > 0 } data)
            {
                w.WriteStartObject("data");
                foreach (var (k, v) in data.OrderBy(d => d.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            if (record.Key is not null) w.WriteString("key", record.Key);
            w.WriteString("prev", prev);
            w.WriteEndObject();
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(body.WrittenSpan));
        var text = new ArrayBufferWriter<byte>(body.WrittenCount + 100);
        text.Write("{\"entry\":"u8);
        text.Write(body.WrittenSpan);
        text.Write(Encoding.UTF8.GetBytes($",\"hash\":\"{hash}\"}}"));
        line = text.WrittenSpan.ToArray();
        return new AuditEntry(seq, record, prev, hash);
    }

    private static bool TryDecode(ReadOnlySpan<byte> line, out AuditEntry entry, out string rawHash, out string error)
    {
        entry = null!;
        rawHash = "";
        error = "";
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            var e = root.GetProperty("entry");
            rawHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e.GetRawText())));
            var record = new AuditRecord(
                e.GetProperty("time").GetDateTimeOffset(),
                e.GetProperty("actor").GetString()!,
                e.GetProperty("action").GetString()!,
                e.GetProperty("stack").GetString()!,
                Optional(e, "ring"), Optional(e, "release"), Optional(e, "reason"),
                e.TryGetProperty("stores", out var st) ? [.. st.EnumerateArray().Select(s => s.GetString()!)] : [],
                e.TryGetProperty("data", out var d) ? d.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal) : null,
                Optional(e, "key"));
            entry = new AuditEntry(e.GetProperty("seq").GetInt64(), record, e.GetProperty("prev").GetString()!, root.GetProperty("hash").GetString()!);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            error = $"not an audit entry ({ex.Message}); the log was edited";
            return false;
        }
    }

    private static string? Optional(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private sealed record AuditHead(long Count, string Hash, long Length);
}

/// <summary>The audit log as read: its entries and the breaks in its chain (empty when intact).</summary>
public sealed record AuditReading(IReadOnlyList<AuditEntry> Entries, IReadOnlyList<string> Problems)
{
    public bool Intact => Problems.Count == 0;
}
