using System.Buffers;
using System.Text;
using System.Text.Json;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>The file state backend: Pulumi's DIY layout under <c>&lt;root&gt;/.pulumi/</c>, with leased locks and a journal.</summary>
/// <remarks>
/// <c>stacks/&lt;project&gt;/&lt;stack&gt;.json</c> checkpoint (VersionedCheckpoint v3) ·
/// <c>stacks/&lt;project&gt;/&lt;stack&gt;.journal.jsonl</c> journal since the checkpoint ·
/// <c>locks/&lt;project&gt;/&lt;stack&gt;.lock.json</c> lock ·
/// <c>history/&lt;project&gt;/&lt;stack&gt;/v&lt;N&gt;.{start,end}.json</c> + <c>desired/&lt;sha&gt;.json.gz</c> ·
/// <c>blobs/&lt;sha&gt;.pack</c> rendered files, stored once each and referred to by checkpoints and history.
/// </remarks>
public sealed class FileStateBackend : IStateBackend
{
    private readonly string _pulumiDir;
    private readonly TimeProvider _time;
    private readonly SecretCodec _codec;
    private readonly ContentStore _blobs;
    private readonly Dictionary<string, ((long, long) Stamp, StackSnapshot Snapshot)> _cache = new(StringComparer.Ordinal);

    public FileStateBackend(string rootDir, string project, TimeProvider time, ISecretsManager? secrets, TimeSpan? lease = null)
    {
        _pulumiDir = Path.Combine(rootDir, ".pulumi");
        Project = project;
        _time = time;
        _codec = new SecretCodec(secrets);
        _blobs = new ContentStore(Path.Combine(_pulumiDir, "blobs"));
        Lease = lease ?? TimeSpan.FromMinutes(5);
    }

    public string Project { get; }
    public TimeSpan Lease { get; }
    public bool CanEncryptSecrets => _codec.CanEncrypt;

    private string StacksDir => Path.Combine(_pulumiDir, "stacks", Project);
    private string CheckpointPath(string stack) => Path.Combine(StacksDir, stack + ".json");
    private string JournalPath(string stack) => Path.Combine(StacksDir, stack + ".journal.jsonl");
    private string LockPath(string stack) => Path.Combine(_pulumiDir, "locks", Project, stack + ".lock.json");
    private HistoryStore History(string stack) => new(Path.Combine(_pulumiDir, "history", Project, stack), stack, _codec, _blobs);

    public ValueTask<StackSnapshot> LoadAsync(string stack, CancellationToken ct = default)
    {
        ValidateName(stack);
        return ValueTask.FromResult(Load(stack));
    }

    private StackSnapshot Load(string stack)
    {
        // Ring previews load every sibling's state: an unchanged checkpoint (no journal) is parsed once per process.
        var file = new FileInfo(CheckpointPath(stack));
        var stamp = file.Exists ? (file.LastWriteTimeUtc.Ticks, file.Length) : (0L, -1L);
        var hasJournal = File.Exists(JournalPath(stack));
        lock (_cache)
            if (!hasJournal && _cache.TryGetValue(stack, out var hit) && hit.Stamp == stamp) return hit.Snapshot;
        var checkpoint = CheckpointFile.Read(file.FullName, stack, _codec, _blobs);
        if (!hasJournal)
        {
            lock (_cache) _cache[stack] = (stamp, checkpoint);
            return checkpoint;
        }
        var working = new WorkingState(checkpoint);
        StackJournal.Replay(JournalPath(stack), stack, _codec, working);
        return working.ToSnapshot();
    }

    /// <summary>Keeps the snapshot just written as this stack's checkpoint, stamped as <see cref="Load"/> checks it.</summary>
    private void Remember(string stack, StackSnapshot written)
    {
        var file = new FileInfo(CheckpointPath(stack));
        if (!file.Exists) return;
        lock (_cache) _cache[stack] = ((file.LastWriteTimeUtc.Ticks, file.Length), written);
    }

    public ValueTask<IStackLock> LockAsync(string stack, LockHolder holder, CancellationToken ct = default)
    {
        ValidateName(stack);
        EnsureMeta();
        return ValueTask.FromResult<IStackLock>(FileStackLock.Acquire(stack, LockPath(stack), holder, _time, Lease));
    }

    public IStateWriter OpenWriter(IStackLock held)
    {
        if (held is not FileStackLock { } l || FileStackLock.TryRead(LockPath(held.Stack))?.Id != l.Info.Id)
            throw new InvalidOperationException($"the lock on stack {held.Stack} is not held by this backend");
        return new Writer(this, l);
    }

    public ValueTask<IReadOnlyList<HistoryEntry>> HistoryAsync(string stack, CancellationToken ct = default)
    {
        ValidateName(stack);
        return ValueTask.FromResult(History(stack).List());
    }

    public ValueTask<DesiredStack> LoadHistoryDesiredAsync(string stack, int version, CancellationToken ct = default)
    {
        ValidateName(stack);
        return ValueTask.FromResult(History(stack).LoadDesired(version));
    }

    public ValueTask<string> ExportAsync(string stack, CancellationToken ct = default)
    {
        ValidateName(stack);
        var snapshot = Load(stack);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 3);
            w.WritePropertyName("deployment");
            CheckpointFile.WriteDeployment(w, Project, snapshot, _codec, _time.GetUtcNow(), export: true);
            w.WriteEndObject();
        }
        return ValueTask.FromResult(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public IReadOnlyList<string> ListStacks()
    {
        if (!Directory.Exists(StacksDir)) return [];
        return [.. Directory.EnumerateFiles(StacksDir, "*.json").Select(Path.GetFileNameWithoutExtension)
            .Concat(Directory.EnumerateFiles(StacksDir, "*.journal.jsonl").Select(f => Path.GetFileName(f)[..^".journal.jsonl".Length]))
            .OfType<string>().Distinct().Order(StringComparer.Ordinal)];
    }

    public bool HasUncompactedJournal(string stack)
    {
        ValidateName(stack);
        return File.Exists(JournalPath(stack));
    }

    private void EnsureMeta()
    {
        var meta = Path.Combine(_pulumiDir, "meta.yaml");
        if (File.Exists(meta)) return;
        Directory.CreateDirectory(_pulumiDir);
        File.WriteAllText(meta, "version: 1\n");
    }

    private static void ValidateName(string stack)
    {
        if (stack.Length is 0 or > 100 || stack.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || stack.StartsWith('.'))
            throw new InputException($"'{stack}' is not a valid stack name: use A-Z a-z 0-9 _ . - (at most 100 characters)");
    }

    private sealed class Writer(FileStateBackend backend, FileStackLock held) : IStateWriter
    {
        private readonly StackJournal _journal = new(backend.JournalPath(held.Stack), held.Stack, backend._codec);

        public string Stack => held.Stack;
        public bool Dirty => _journal.Dirty || File.Exists(backend.JournalPath(Stack));

        public void Begin(UpdateKind kind, int version, DateTimeOffset time) => _journal.Begin(kind.ToString().ToLowerInvariant(), version, time);
        public void Pending(PendingOperation op) => _journal.Pending(op);
        public void Done(ResourceState resource) => _journal.Done(resource);
        public void Removed(Urn urn, string why) => _journal.Removed(urn, why);
        public void Resolved(Urn urn) => _journal.Resolved(urn);
        public void Outputs(System.Collections.Immutable.ImmutableSortedDictionary<string, string> outputs) => _journal.Outputs(outputs);
        public void End(UpdateResultKind result) => _journal.End(result.ToString().ToLowerInvariant());
        public ValueTask FlushAsync(bool durable, CancellationToken ct = default) => _journal.FlushAsync(durable);

        public async ValueTask CompactAsync(StackSnapshot final, CancellationToken ct = default)
        {
            await _journal.FlushAsync(true);
            // A run paused past its lease may have been taken over; the new holder's state must not be overwritten.
            if (FileStackLock.TryRead(backend.LockPath(Stack))?.Id != held.Info.Id)
                throw new StackLockedException(Stack, FileStackLock.TryRead(backend.LockPath(Stack)),
                    $"stack {Stack}: this run lost its lock (lease expired and another run took it over); its journal is kept for the next run");
            var now = backend._time.GetUtcNow();
            var stamped = new StackSnapshot(final.Stack, [.. final.Resources], [.. final.PendingOperations], final.Outputs, now);
            lock (backend._cache) backend._cache.Remove(Stack);
            CheckpointFile.Write(backend.CheckpointPath(Stack), backend.Project, stamped, backend._codec, now, backend._blobs);
            await _journal.DisposeAsync();
            // After the rename the journal is redundant; replaying it again onto the new checkpoint would be idempotent.
            StackJournal.Reset(backend.JournalPath(Stack));
            // What was just written is what the next load of this stack would read back: a rollout host applies a ring's
            // stack again and again (each window release), and reading the checkpoint back was most of a small apply.
            backend.Remember(Stack, stamped);
        }

        public ValueTask<int> StartHistoryAsync(HistoryStart start, DesiredStack? desired, CancellationToken ct = default) =>
            ValueTask.FromResult(backend.History(Stack).Start(start, desired));

        public ValueTask EndHistoryAsync(int version, HistoryEnd end, CancellationToken ct = default)
        {
            backend.History(Stack).End(version, end);
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => _journal.DisposeAsync();
    }
}
