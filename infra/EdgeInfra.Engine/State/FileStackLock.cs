using System.Diagnostics;
using System.Text.Json;

namespace EdgeInfra.Engine.State;

/// <summary>An atomic, leased lock file: created whole or not at all (<see cref="ExclusiveFile"/>), renewed while held,
/// taken over only when stale.</summary>
/// <remarks>
/// A lock is stale when its lease expired, or when its holder ran on this host and that pid is gone (a kill -9).
/// A holder on this host whose process start is recorded is judged by its process alone: alive (same pid, same start)
/// it keeps the lock even past its lease, so a wall-clock jump (an NTP step, a VM resumed) between two renewals never
/// hands a running update's lock to a second process; dead or replaced by a new process with its pid, it loses it.
/// Takeover runs under a second O_EXCL guard file and re-checks the lock id, so two processes that both saw the
/// same stale lock cannot both win.
/// </remarks>
public sealed class FileStackLock : IStackLock
{
    private static readonly TimeSpan GuardStale = TimeSpan.FromSeconds(30);
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lease;
    private readonly ITimer _renewal;
    private readonly Lock _gate = new();
    private bool _released;

    private FileStackLock(string stack, string path, LockInfo info, TimeProvider time, TimeSpan lease)
    {
        Stack = stack;
        _path = path;
        Info = info;
        _time = time;
        _lease = lease;
        var period = lease / 3;
        _renewal = time.CreateTimer(_ => Renew(), null, period, period);
    }

    public string Stack { get; }
    public LockInfo Info { get; private set; }

    public static FileStackLock Acquire(string stack, string path, LockHolder holder, TimeProvider time, TimeSpan lease)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var info = new LockInfo(Guid.NewGuid().ToString("N"), holder, now, now + lease)
            {
                HolderStart = IsThisHost(holder.Host) ? ProcessStartTicks.Of(holder.Pid) : null,
            };
            if (ExclusiveFile.TryCreate(path, Serialize(info))) return new FileStackLock(stack, path, info, time, lease);

            var existing = ReadSettled(path);
            if (existing is null && !File.Exists(path)) continue; // released between our attempt and our read
            if (attempt >= 3) // lost three takeover races in a row: someone else is actively locking
                throw existing is null ? new StackLockedException(stack, null, $"stack {stack} is being locked by another process")
                    : StackLockedException.For(stack, existing);
            if (existing is null)
            {
                // Locks are created whole, so an unreadable one is damaged, not in progress; still, give a writer on a
                // slow disk the benefit of the doubt for a while.
                if (time.GetUtcNow() - File.GetLastWriteTimeUtc(path) < GuardStale)
                    throw new StackLockedException(stack, null, $"stack {stack} has an unreadable lock file {path}; it is treated as stale after {GuardStale.TotalSeconds:F0} s");
                TakeOver(stack, path, null, time);
                continue;
            }
            if (!IsStale(existing, time)) throw StackLockedException.For(stack, existing);
            TakeOver(stack, path, existing, time);
        }
    }

    private static bool GuardIsStale(string guard, TimeProvider time)
    {
        if (time.GetUtcNow() - File.GetLastWriteTimeUtc(guard) >= GuardStale) return true;
        try
        {
            var parts = File.ReadAllText(guard).Split(' ');
            return parts.Length == 2 && string.Equals(parts[0], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
                   && int.TryParse(parts[1], out var pid) && !IsAlive(pid);
        }
        catch (IOException) { return false; }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static bool IsThisHost(string host) => string.Equals(host, Environment.MachineName, StringComparison.OrdinalIgnoreCase);

    private static bool IsStale(LockInfo info, TimeProvider time)
    {
        if (info.HolderStart is { } start && IsThisHost(info.Holder.Host) && info.Holder.Pid != Environment.ProcessId)
            return ProcessStartTicks.Of(info.Holder.Pid) != start;
        if (info.Expires <= time.GetUtcNow()) return true;
        if (!IsThisHost(info.Holder.Host)) return false;
        if (info.Holder.Pid == Environment.ProcessId) return false;
        try
        {
            using var p = Process.GetProcessById(info.Holder.Pid);
            return p.HasExited;
        }
        catch (ArgumentException) { return true; }
        catch (InvalidOperationException) { return true; }
    }

    private static void TakeOver(string stack, string path, LockInfo? stale, TimeProvider time)
    {
        var guard = path + ".takeover";
        // The guard names its holder, so a guard left by a taker that was killed is known stale at once.
        var me = System.Text.Encoding.UTF8.GetBytes($"{Environment.MachineName} {Environment.ProcessId}");
        if (!ExclusiveFile.TryCreate(guard, me))
        {
            if (!GuardIsStale(guard, time) || !DeleteAndRetake(guard, me))
                throw stale is null ? new StackLockedException(stack, null, $"stack {stack} is being locked by another process")
                    : StackLockedException.For(stack, stale);
        }
        try
        {
            var now = TryRead(path);
            if (now?.Id == stale?.Id) File.Delete(path);
        }
        finally
        {
            File.Delete(guard);
        }
    }

    private static bool DeleteAndRetake(string guard, byte[] me)
    {
        File.Delete(guard);
        return ExclusiveFile.TryCreate(guard, me);
    }

    private void Renew()
    {
        lock (_gate)
        {
            if (_released) return;
            try
            {
                if (TryRead(_path)?.Id != Info.Id) return; // taken over after our lease lapsed: never overwrite the new holder
                var renewed = Info with { Expires = _time.GetUtcNow() + _lease };
                var tmp = $"{_path}.{Info.Id}.tmp";
                File.WriteAllBytes(tmp, Serialize(renewed));
                File.Move(tmp, _path, overwrite: true);
                Info = renewed;
            }
            catch (IOException)
            {
                // A failed renewal is retried on the next tick; the lease still has two thirds left.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _renewal.Dispose();
        lock (_gate)
        {
            if (_released) return ValueTask.CompletedTask;
            _released = true;
            if (TryRead(_path)?.Id == Info.Id) File.Delete(_path);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Reads a lock that may be in the middle of being written by its creator (microseconds).</summary>
    private static LockInfo? ReadSettled(string path)
    {
        var spin = new SpinWait();
        for (var i = 0; i < 200; i++)
        {
            if (TryRead(path) is { } info) return info;
            if (!File.Exists(path)) return null;
            spin.SpinOnce(sleep1Threshold: 20);
        }
        return null;
    }

    internal static LockInfo? TryRead(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var r = new Utf8JsonReader(bytes);
            r.Read();
            string? id = null, actor = null, host = null, op = null;
            int pid = 0;
            long? holderStart = null;
            DateTimeOffset started = default, expires = default;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var p = r.GetString();
                r.Read();
                switch (p)
                {
                    case "id": id = r.GetString(); break;
                    case "actor": actor = r.GetString(); break;
                    case "host": host = r.GetString(); break;
                    case "operation": op = r.GetString(); break;
                    case "pid": pid = r.GetInt32(); break;
                    case "pidStart": holderStart = r.GetInt64(); break;
                    case "started": started = r.GetDateTimeOffset(); break;
                    case "expires": expires = r.GetDateTimeOffset(); break;
                    default: r.Skip(); break;
                }
            }
            return id is null ? null : new LockInfo(id, new LockHolder(actor ?? "?", host ?? "?", pid, op ?? "?"), started, expires)
            {
                HolderStart = holderStart,
            };
        }
        catch (IOException) { return null; } // missing, or its creator still has it open
        catch (JsonException) { return null; }
        catch (InvalidOperationException) { return null; }
    }

    private static byte[] Serialize(LockInfo info)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("id", info.Id);
            w.WriteString("actor", info.Holder.Actor);
            w.WriteString("host", info.Holder.Host);
            w.WriteNumber("pid", info.Holder.Pid);
            if (info.HolderStart is { } start) w.WriteNumber("pidStart", start);
            w.WriteString("operation", info.Holder.Operation);
            w.WriteString("started", info.Started.UtcDateTime.ToString("O"));
            w.WriteString("expires", info.Expires.UtcDateTime.ToString("O"));
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
