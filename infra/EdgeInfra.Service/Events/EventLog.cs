using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace EdgeInfra.Service.Events;

/// <summary>One event of a log with its sequence number (the SSE event id a client resumes from).</summary>
public readonly record struct Sequenced<T>(long Id, T Item);

/// <summary>An in-memory, append-only log of one rollout's events that any number of readers follow live.</summary>
/// <remarks>
/// The writer (the walker) never waits on a reader: each reader has its own bounded queue, and a reader that falls
/// <see cref="ReaderQueue"/> events behind is cut off; it reconnects with the last id it saw and replays the rest from
/// the log, as SSE's <c>Last-Event-ID</c> intends. The log keeps the last <paramref name="capacity"/> events.
/// </remarks>
public sealed class EventLog<T>(int capacity = 10_000)
{
    public const int ReaderQueue = 1_024;

    private readonly Lock _gate = new();
    private readonly Queue<Sequenced<T>> _kept = new();
    private readonly List<Channel<Sequenced<T>>> _readers = [];
    private long _last;
    private bool _completed;

    /// <summary>The id of the newest event, 0 before the first.</summary>
    public long LastId { get { lock (_gate) return _last; } }

    public bool IsCompleted { get { lock (_gate) return _completed; } }

    /// <summary>How many readers follow the log live.</summary>
    public int ReaderCount { get { lock (_gate) return _readers.Count; } }

    /// <summary>Appends an event and hands it to every reader; returns its id.</summary>
    public long Append(T item)
    {
        lock (_gate)
        {
            if (_completed) throw new InvalidOperationException("the event log is complete");
            var e = new Sequenced<T>(++_last, item);
            _kept.Enqueue(e);
            if (_kept.Count > capacity) _kept.Dequeue();
            for (var i = _readers.Count - 1; i >= 0; i--)
            {
                if (_readers[i].Writer.TryWrite(e)) continue;
                _readers[i].Writer.TryComplete(new ReaderTooSlowException());
                _readers.RemoveAt(i);
            }
            return e.Id;
        }
    }

    /// <summary>Ends the log: readers receive what is left and then finish.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var r in _readers) r.Writer.TryComplete();
            _readers.Clear();
        }
    }

    /// <summary>The events after <paramref name="afterId"/> (those still kept), then each new one as it is appended,
    /// until the log completes or <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<Sequenced<T>> ReadAsync(long afterId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateBounded<Sequenced<T>>(new BoundedChannelOptions(ReaderQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Sequenced<T>[] backlog;
        lock (_gate)
        {
            backlog = [.. _kept.Where(e => e.Id > afterId)];
            if (_completed) channel.Writer.TryComplete();
            else _readers.Add(channel);
        }
        try
        {
            foreach (var e in backlog) yield return e;
            await foreach (var e in channel.Reader.ReadAllAsync(ct))
                if (e.Id > afterId) yield return e;
        }
        finally
        {
            lock (_gate) _readers.Remove(channel);
        }
    }
}

/// <summary>A reader fell too far behind the log and was cut off; it resumes from the last id it saw.</summary>
public sealed class ReaderTooSlowException() : Exception("the event reader fell behind; reconnect with Last-Event-ID");
