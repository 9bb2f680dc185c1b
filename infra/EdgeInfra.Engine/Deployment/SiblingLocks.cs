using EdgeInfra.Engine.State;

namespace EdgeInfra.Engine.Deployment;

/// <summary>The locks and writers of the sibling stacks an up moves resources from or to.</summary>
internal sealed class SiblingLocks(IStateBackend backend, LockHolder holder) : IAsyncDisposable
{
    private readonly List<IStackLock> _locks = [];
    private readonly Dictionary<string, IStateWriter> _writers = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IStateWriter> Writers => _writers;

    /// <summary>Takes a sibling's lock; refuses (throws <see cref="StackLockedException"/>) when another run holds it.</summary>
    public async Task LockAsync(string stack, CancellationToken ct)
    {
        var held = await backend.LockAsync(stack, holder, ct);
        _locks.Add(held);
        _writers[stack] = backend.OpenWriter(held);
    }

    /// <summary>Folds what this run journaled into each sibling into that sibling's checkpoint.</summary>
    public async Task CompactAsync()
    {
        foreach (var (stack, w) in _writers)
        {
            if (!w.Dirty) continue;
            await w.FlushAsync(durable: true);
            await w.CompactAsync(await backend.LoadAsync(stack));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var w in _writers.Values) await w.DisposeAsync();
        foreach (var l in _locks) await l.DisposeAsync();
    }
}
