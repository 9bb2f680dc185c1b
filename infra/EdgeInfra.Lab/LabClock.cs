namespace EdgeInfra.Lab;

/// <summary>A virtual-time <see cref="TimeProvider"/> shared by the lab's walker and simulator: waiting costs no wall time.</summary>
/// <remarks>
/// A timer created with due time d fires at virtual now + d. While any timer is armed and <see cref="AutoAdvance"/> is
/// on, the clock jumps at once to the earliest due timer and fires it (a 2 h bake passes instantly); timers due at the
/// same instant fire in creation order, so the order of events never depends on thread timing. Periodic timers re-arm
/// at their previous due time + period and keep the clock moving while they are armed: dispose them when done. With
/// <see cref="AutoAdvance"/> off, time moves only through <see cref="Advance"/> / <see cref="AdvanceTo"/> (tests).
/// Callbacks run on the thread pool, one at a time, outside the clock's lock.
/// </remarks>
public sealed class LabClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<VirtualTimer> _armed = [];
    private DateTimeOffset _now;
    private long _sequence;
    private bool _pumping;
    private bool _autoAdvance;

    /// <summary>Creates a clock reading <paramref name="start"/> (UTC).</summary>
    public LabClock(DateTimeOffset start, bool autoAdvance = true)
    {
        _now = start.ToUniversalTime();
        _autoAdvance = autoAdvance;
    }

    /// <summary>Whether the clock jumps to the earliest due timer by itself.</summary>
    public bool AutoAdvance
    {
        get { lock (_gate) return _autoAdvance; }
        set
        {
            lock (_gate) _autoAdvance = value;
            if (value) SchedulePump();
        }
    }

    /// <summary>How many timers are armed now.</summary>
    public int ArmedTimers
    {
        get { lock (_gate) return _armed.Count; }
    }

    /// <summary>Raised (outside the lock) after the clock moved; argument is the new virtual now.</summary>
    public event Action<DateTimeOffset>? Advanced;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_gate) return _now.UtcTicks;
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer due on the way in time order.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        AdvanceTo(GetUtcNow() + delta);
    }

    /// <summary>Moves the clock forward to <paramref name="instant"/> (never backward), firing due timers in time order.</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        instant = instant.ToUniversalTime();
        while (true)
        {
            VirtualTimer? due;
            DateTimeOffset movedTo;
            lock (_gate)
            {
                due = EarliestArmed();
                if (due is null || due.DueAt > instant)
                {
                    if (instant <= _now) return;
                    _now = instant;
                    movedTo = _now;
                    due = null;
                }
                else
                {
                    if (due.DueAt > _now) _now = due.DueAt;
                    movedTo = _now;
                    Rearm(due);
                }
            }
            Advanced?.Invoke(movedTo);
            if (due is null) return;
            due.Fire();
        }
    }

    private void Change(VirtualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan) ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        if (period != Timeout.InfiniteTimeSpan) ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        lock (_gate)
        {
            _armed.Remove(timer);
            if (timer.Disposed || dueTime == Timeout.InfiniteTimeSpan) return;
            // A zero period means "one shot" for System.Threading.Timer too.
            timer.Period = period == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : period;
            timer.DueAt = _now + dueTime;
            timer.Sequence = ++_sequence;
            _armed.Add(timer);
        }
        SchedulePump();
    }

    private void Remove(VirtualTimer timer)
    {
        lock (_gate) _armed.Remove(timer);
    }

    private VirtualTimer? EarliestArmed()
    {
        VirtualTimer? best = null;
        foreach (var timer in _armed)
            if (best is null || timer.DueAt < best.DueAt || (timer.DueAt == best.DueAt && timer.Sequence < best.Sequence))
                best = timer;
        return best;
    }

    private void Rearm(VirtualTimer timer)
    {
        if (timer.Period == Timeout.InfiniteTimeSpan)
        {
            _armed.Remove(timer);
            return;
        }
        timer.DueAt += timer.Period;
        timer.Sequence = ++_sequence;
    }

    private void SchedulePump()
    {
        lock (_gate)
        {
            if (_pumping || !_autoAdvance || _armed.Count == 0) return;
            _pumping = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static clock => clock.Pump(), this, preferLocal: false);
    }

    // Fires the earliest armed timer, one at a time; a new pump is queued after each callback so a continuation that
    // creates the next timer (a loop of Task.Delay) gets to do so before the clock moves on.
    private void Pump()
    {
        VirtualTimer? due;
        DateTimeOffset movedTo;
        lock (_gate)
        {
            due = _autoAdvance ? EarliestArmed() : null;
            if (due is null)
            {
                _pumping = false;
                return;
            }
            if (due.DueAt > _now) _now = due.DueAt;
            movedTo = _now;
            Rearm(due);
        }
        try
        {
            Advanced?.Invoke(movedTo);
            due.Fire();
        }
        finally
        {
            lock (_gate) _pumping = false;
            SchedulePump();
        }
    }

    private sealed class VirtualTimer(LabClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }
        public TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;
        public long Sequence { get; set; }
        public bool Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Disposed) return false;
            clock.Change(this, dueTime, period);
            return true;
        }

        public void Fire()
        {
            if (!Disposed) callback(state);
        }

        public void Dispose()
        {
            Disposed = true;
            clock.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
