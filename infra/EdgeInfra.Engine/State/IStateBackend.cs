using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>Where stacks keep their checkpoint, journal, lock and history.</summary>
public interface IStateBackend
{
    string Project { get; }

    /// <summary>The stack's state: checkpoint plus journal replay. Unlocked; an empty snapshot for a new stack.</summary>
    ValueTask<StackSnapshot> LoadAsync(string stack, CancellationToken ct = default);

    /// <summary>Takes the stack lock, or throws <see cref="StackLockedException"/> naming the holder.</summary>
    ValueTask<IStackLock> LockAsync(string stack, LockHolder holder, CancellationToken ct = default);

    /// <summary>Opens the stack's journal for appending; the lock proves the caller may write.</summary>
    IStateWriter OpenWriter(IStackLock held);

    ValueTask<IReadOnlyList<HistoryEntry>> HistoryAsync(string stack, CancellationToken ct = default);

    /// <summary>The desired state recorded when history version <paramref name="version"/> started (secrets decrypted).</summary>
    ValueTask<DesiredStack> LoadHistoryDesiredAsync(string stack, int version, CancellationToken ct = default);

    /// <summary>The stack as a Pulumi <c>UntypedDeployment</c> v3 JSON document (secrets as ciphertext objects).</summary>
    ValueTask<string> ExportAsync(string stack, CancellationToken ct = default);

    IReadOnlyList<string> ListStacks();

    /// <summary>Whether a run left journal records its checkpoint has not absorbed (it stopped before compacting, e.g.
    /// on a full disk): the state reads the same, but the next update should finish that run's compaction.</summary>
    bool HasUncompactedJournal(string stack);

    /// <summary>Whether secret values can be encrypted (a secrets manager was configured).</summary>
    bool CanEncryptSecrets { get; }
}

/// <summary>Writes to one locked stack: journal records while a run goes, history records, and the final compaction.</summary>
public interface IStateWriter : IAsyncDisposable
{
    string Stack { get; }

    /// <summary>True once a journal record was written since the last compaction.</summary>
    bool Dirty { get; }

    void Begin(UpdateKind kind, int version, DateTimeOffset time);
    void Pending(PendingOperation op);
    void Done(ResourceState resource);
    void Removed(Urn urn, string why);
    void Resolved(Urn urn);
    void Outputs(System.Collections.Immutable.ImmutableSortedDictionary<string, string> outputs);
    void End(UpdateResultKind result);

    /// <summary>Hands buffered records to the OS; <paramref name="durable"/> also fsyncs.</summary>
    ValueTask FlushAsync(bool durable, CancellationToken ct = default);

    /// <summary>Writes <paramref name="final"/> as the checkpoint (temp + atomic rename) and resets the journal.</summary>
    ValueTask CompactAsync(StackSnapshot final, CancellationToken ct = default);

    ValueTask<int> StartHistoryAsync(HistoryStart start, DesiredStack? desired, CancellationToken ct = default);
    ValueTask EndHistoryAsync(int version, HistoryEnd end, CancellationToken ct = default);
}
