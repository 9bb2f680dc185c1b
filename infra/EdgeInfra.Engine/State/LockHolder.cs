namespace EdgeInfra.Engine.State;

/// <summary>Who holds (or asks for) a stack lock.</summary>
public sealed record LockHolder(string Actor, string Host, int Pid, string Operation)
{
    /// <summary>The current process as holder.</summary>
    public static LockHolder Current(string actor, string operation) =>
        new(actor, Environment.MachineName, Environment.ProcessId, operation);

    public static string DefaultActor => $"{Environment.UserName}@{Environment.MachineName}";
}

/// <summary>The content of a lock file: holder plus lease.</summary>
public sealed record LockInfo(string Id, LockHolder Holder, DateTimeOffset Started, DateTimeOffset Expires)
{
    /// <summary>When the holder's process started (ticks since boot), recorded for a holder on this host: with its pid
    /// it names that one process, so a lock outlives no process and no process loses its lock to a clock jump.</summary>
    public long? HolderStart { get; init; }
}

/// <summary>A stack lock held by this process; disposing releases it.</summary>
public interface IStackLock : IAsyncDisposable
{
    string Stack { get; }
    LockInfo Info { get; }
}

/// <summary>Thrown when a stack is locked by someone else; the message names the holder and the lease.</summary>
public sealed class StackLockedException(string stack, LockInfo? holder, string message) : Exception(message)
{
    public string Stack { get; } = stack;
    public LockInfo? Holder { get; } = holder;

    public static StackLockedException For(string stack, LockInfo info)
    {
        var actor = info.Holder.Actor.Contains('@', StringComparison.Ordinal) ? info.Holder.Actor : $"{info.Holder.Actor}@{info.Holder.Host}";
        return new(stack, info,
            $"stack {stack} is locked by {actor} (pid {info.Holder.Pid}, {info.Holder.Operation}) since " +
            $"{info.Started.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}; lease expires {info.Expires.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
    }
}
