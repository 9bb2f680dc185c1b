using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>The append-only journal of one stack: one JSON object per line, written as steps start and finish.</summary>
/// <remarks>
/// Records: <c>begin</c>, <c>pending</c> (before a provider call), <c>done</c> (resource state upserted),
/// <c>removed</c> (deleted, moved out, or a failed create), <c>resolved</c> (a pending op cleared without change),
/// <c>outputs</c>, <c>end</c>. Lines are buffered and handed to the OS before every provider call (enough for a
/// kill -9); <see cref="FlushAsync"/> with <c>durable</c> fsyncs before a transactional provider publishes.
/// </remarks>
internal sealed class StackJournal : IAsyncDisposable
{
    private readonly string _path;
    private readonly string _stack;
    private readonly SecretCodec _codec;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private FileStream? _file;

    public StackJournal(string path, string stack, SecretCodec codec)
    {
        _path = path;
        _stack = stack;
        _codec = codec;
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>True once any record was written: the checkpoint then needs compaction.</summary>
    public bool Dirty { get; private set; }

    public void Begin(string kind, int version, DateTimeOffset time) => Append(w =>
    {
        w.WriteString("t", "begin");
        w.WriteString("kind", kind);
        w.WriteNumber("version", version);
        w.WriteString("time", time.UtcDateTime.ToString("O"));
    }, flush: true);

    public void Pending(PendingOperation op) => Append(w =>
    {
        w.WriteString("t", "pending");
        w.WriteString("op", op.Kind.ToString());
        if (op.FromStack is not null) w.WriteString("from", op.FromStack);
        w.WritePropertyName("r");
        ResourceJson.Write(w, op.Resource, _codec, _stack);
        if (op.Old is not null)
        {
            w.WritePropertyName("old");
            ResourceJson.Write(w, op.Old, _codec, _stack);
        }
    }, flush: true);

    public void Done(ResourceState r) => Append(w =>
    {
        w.WriteString("t", "done");
        w.WritePropertyName("r");
        ResourceJson.Write(w, r, _codec, _stack);
    }, flush: false);

    public void Removed(Urn urn, string why) => Append(w =>
    {
        w.WriteString("t", "removed");
        w.WriteString("urn", urn.Value);
        w.WriteString("why", why);
    }, flush: false);

    public void Resolved(Urn urn) => Append(w =>
    {
        w.WriteString("t", "resolved");
        w.WriteString("urn", urn.Value);
    }, flush: false);

    public void Outputs(ImmutableSortedDictionary<string, string> outputs) => Append(w =>
    {
        w.WriteString("t", "outputs");
        w.WriteStartObject("o");
        foreach (var (k, v) in outputs) w.WriteString(k, v);
        w.WriteEndObject();
    }, flush: false);

    public void End(string result) => Append(w =>
    {
        w.WriteString("t", "end");
        w.WriteString("result", result);
    }, flush: true);

    private void Append(Action<Utf8JsonWriter> body, bool flush)
    {
        lock (_gate)
        {
            _writer.Reset();
            _buffer.ResetWrittenCount();
            _writer.WriteStartObject();
            body(_writer);
            _writer.WriteEndObject();
            _writer.Flush();
            _file ??= Open();
            _file.Write(_buffer.WrittenSpan);
            _file.WriteByte((byte)'\n');
            if (flush) _file.Flush(false);
            Dirty = true;
        }
    }

    private FileStream Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var file = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        DropTornTail(file);
        file.Seek(0, SeekOrigin.End);
        return file;
    }

    /// <summary>Cuts a torn last line (a run killed mid-write) before appending: replay skips it as the tail, but a
    /// record appended onto it would turn it into a corrupt line in the middle of the journal.</summary>
    private static void DropTornTail(FileStream file)
    {
        var end = file.Length;
        if (end == 0) return;
        Span<byte> chunk = stackalloc byte[4096];
        var pos = end;
        while (pos > 0)
        {
            var size = (int)Math.Min(chunk.Length, pos);
            file.Seek(pos - size, SeekOrigin.Begin);
            file.ReadExactly(chunk[..size]);
            var nl = chunk[..size].LastIndexOf((byte)'\n');
            if (nl >= 0)
            {
                var keep = pos - size + nl + 1;
                if (keep != end) file.SetLength(keep);
                return;
            }
            pos -= size;
        }
        file.SetLength(0);
    }

    public ValueTask FlushAsync(bool durable)
    {
        lock (_gate) _file?.Flush(durable);
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the file (appending again reopens it); call <see cref="Reset"/> once the checkpoint absorbed the journal.</summary>
    public async ValueTask DisposeAsync()
    {
        FileStream? f;
        lock (_gate) { f = _file; _file = null; }
        if (f is not null) { f.Flush(true); await f.DisposeAsync(); }
    }

    public static void Reset(string path) => File.Delete(path);

    /// <summary>Replays a journal file onto a working state, tolerating a torn last line (a crash mid-write).</summary>
    public static void Replay(string path, string stack, SecretCodec codec, WorkingState state)
    {
        if (!File.Exists(path)) return;
        var bytes = File.ReadAllBytes(path).AsSpan();
        var lineNo = 0;
        while (bytes.Length > 0)
        {
            lineNo++;
            var nl = bytes.IndexOf((byte)'\n');
            var line = nl < 0 ? bytes : bytes[..nl];
            var last = nl < 0 || nl == bytes.Length - 1;
            bytes = nl < 0 ? [] : bytes[(nl + 1)..];
            if (line.IsEmpty) continue;
            try { Apply(line, stack, codec, state); }
            catch (JsonException) when (last || nl < 0)
            {
                // The torn tail of a crashed write: the step it described never started (pending is written first).
            }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{lineNo}: corrupt journal record: {e.Message}", e); }
        }
    }

    private static void Apply(ReadOnlySpan<byte> line, string stack, SecretCodec codec, WorkingState state)
    {
        var r = new Utf8JsonReader(line, new JsonReaderOptions { AllowTrailingCommas = false });
        r.Read();
        ResourceJson.Expect(ref r, JsonTokenType.StartObject);
        string? t = null, urn = null, op = null, from = null;
        ResourceState? res = null, old = null;
        ImmutableSortedDictionary<string, string>? outputs = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var p = r.GetString();
            r.Read();
            switch (p)
            {
                case "t": t = r.GetString(); break;
                case "urn": urn = r.GetString(); break;
                case "op": op = r.GetString(); break;
                case "from": from = r.GetString(); break;
                case "r": res = ResourceJson.Read(ref r, codec, stack); break;
                case "old": old = ResourceJson.Read(ref r, codec, stack); break;
                case "o": outputs = ResourceJson.ReadStringMap(ref r).ToImmutableSortedDictionary(StringComparer.Ordinal); break;
                default: r.Skip(); break;
            }
        }
        if (r.TokenType != JsonTokenType.EndObject || r.Read()) throw new JsonException("incomplete record");
        switch (t)
        {
            case "pending":
                state.Pending[res!.Urn] = new PendingOperation(Enum.Parse<PendingKind>(op!), res, old, from);
                break;
            case "done": state.Upsert(res!); state.Pending.Remove(res!.Urn); break;
            case "removed": state.Remove(new Urn(urn!)); state.Pending.Remove(new Urn(urn!)); break;
            case "resolved": state.Pending.Remove(new Urn(urn!)); break;
            case "outputs": state.Outputs = outputs!; break;
        }
    }
}
