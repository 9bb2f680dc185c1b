namespace EdgeInfra.Automation;

/// <summary>Writes a verb may do only when it succeeds (the inventory's parse cache): held for the invocation and run
/// by <see cref="CliApp"/> once the verb exits 0, so a refused or failed run leaves <c>.edgeinfra/</c> as it found it.</summary>
/// <remarks>Scoped with an <see cref="AsyncLocal{T}"/> so in-process invocations running side by side (tests) keep
/// their own. Outside an invocation (a library caller) a write runs at once.</remarks>
internal sealed class DeferredWrites : IDisposable
{
    private static readonly AsyncLocal<DeferredWrites?> CurrentScope = new();
    private readonly List<Action> _writes = [];
    private readonly DeferredWrites? _outer;

    private DeferredWrites()
    {
        _outer = CurrentScope.Value;
        CurrentScope.Value = this;
    }

    public static DeferredWrites Begin() => new();

    /// <summary>For a long-lived host inside an invocation (<c>serve</c>): writes run at once, as each request is an
    /// operation of its own that succeeds or fails alone. Disposing restores the invocation's scope.</summary>
    public static DeferredWrites Immediate()
    {
        var scope = new DeferredWrites();
        CurrentScope.Value = null;
        return scope;
    }

    /// <summary>For <see cref="Immediate"/>'s scope: runs the writes the invocation held before it (a long-lived host's
    /// start-up load) now that the host has started, rather than when it exits: each holds what it writes (the whole
    /// loaded fleet model), which a host would otherwise keep alive for its lifetime.</summary>
    public void CommitHeld()
    {
        if (_outer is not { } outer) return;
        lock (outer._writes) outer.Commit();
    }

    /// <summary>Holds <paramref name="write"/> until the invocation succeeds; runs it now outside one.</summary>
    public static void Add(Action write)
    {
        if (CurrentScope.Value is { } scope) lock (scope._writes) scope._writes.Add(write);
        else write();
    }

    public void Commit()
    {
        foreach (var write in _writes) write();
        _writes.Clear();
    }

    public void Dispose() => CurrentScope.Value = _outer;
}
