using System.Globalization;
using EdgeInfra.Automation;
using EdgeInfra.Automation.Plans;
using EdgeInfra.Components.Text;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Config;
using Microsoft.Extensions.Hosting;

namespace EdgeInfra.Service.Rollouts;

/// <summary>Runs the stack's rollouts in the background, one at a time, so no client has to hold one: a rollout goes on
/// when its caller disconnects, stops cleanly (resumable) when the service stops, and resumes when it starts again.</summary>
/// <remarks>The walker's own state and lock are the CLI's: a CLI rollout of the stack refuses to start while the service
/// walks one, and the other way round, each naming the other.</remarks>
internal sealed class RolloutRunner(EdgeInfraStack stack, RolloutRecords records, TimeProvider time, ServiceMetrics metrics) : IHostedService
{
    /// <summary>How long a stopping service waits for the walker to finish the write in progress.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, RolloutRun> _runs = new(StringComparer.Ordinal);
    private RolloutRun? _current;

    /// <summary>The run of a rollout this process walked, for its live events; null for older ones.</summary>
    public RolloutRun? Run(string id)
    {
        lock (_gate) return _runs.GetValueOrDefault(id);
    }

    /// <summary>Starts a rollout; answers once the walker holds the stack's lock and made its first decision.</summary>
    /// <exception cref="RolloutConflictException">The service already walks one.</exception>
    public async Task<RolloutRecord> StartAsync(RolloutStart start, string actor, CancellationToken ct)
    {
        _ = ToRequest(start, null, checkPlan: false); // bad input is refused before anything is recorded
        RolloutRecord record;
        RolloutRun run;
        lock (_gate)
        {
            if (_current is { } running)
                throw new RolloutConflictException(
                    $"rollout {running.Record.Id} of stack {stack.Name} is running (started by {running.Record.Actor} at " +
                    $"{running.Record.Started.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}); follow it at /api/v1/rollouts/{running.Record.Id}/events or abort it");
            // Under the gate: no other start can move the checkout between the sync and the walker's own check.
            if (start.Plan is { } plan) ConfigCheckout.SyncForPlan(stack.ProjectDir, plan);
            record = new RolloutRecord(NewId(), stack.Name, actor, start, RolloutRecord.Running, time.GetUtcNow());
            _current = run = Launch(record, resumed: false);
        }
        records.Save(record);
        // The run itself, not _current: a walk refused at once clears _current before this line may run.
        return await AwaitStartAsync(run, ct);
    }

    /// <summary>Stops a running rollout; its walk state stays, so a new start resumes it.</summary>
    /// <returns>The record as it ended, or null when no rollout of that id is running here.</returns>
    public async Task<RolloutRecord?> AbortAsync(string id, string actor, string reason, CancellationToken ct)
    {
        RolloutRun? run;
        lock (_gate) run = _current?.Record.Id == id ? _current : null;
        if (run is null) return null;
        run.AbortedBy = actor;
        await stack.As(actor).RecordAbortAsync(id, reason, ct);
        await run.Stop.CancelAsync();
        await run.Walk.WaitAsync(StopGrace, ct);
        return run.Record;
    }

    /// <summary>Resumes the rollouts a stopped (or killed) service left running.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        foreach (var record in records.List().Where(r => r.IsRunning).Take(1))
            lock (_gate) _current ??= Launch(record, resumed: true);
        return Task.CompletedTask;
    }

    /// <summary>Stops the walk in progress; it finishes its current write and stays <c>running</c> on disk.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        RolloutRun? run;
        lock (_gate) run = _current;
        if (run is null) return;
        await run.Stop.CancelAsync();
        try { await run.Walk.WaitAsync(StopGrace, ct); }
        catch (TimeoutException) { }
        catch (OperationCanceledException) { }
    }

    private RolloutRun Launch(RolloutRecord record, bool resumed)
    {
        var run = new RolloutRun(record, time, metrics.Observe) { Resumed = resumed };
        _runs[record.Id] = run;
        run.Walk = Task.Run(() => WalkAsync(run));
        metrics.RolloutsRunning.Inc();
        return run;
    }

    private async Task<RolloutRecord> AwaitStartAsync(RolloutRun run, CancellationToken ct)
    {
        await Task.WhenAny(run.Started.Task, run.Walk).WaitAsync(ct);
        if (!run.Started.Task.IsCompleted && run.Failure is { } failure)
        {
            // Refused before it started (locked, held, bad input): no rollout happened, so none is on record.
            records.Delete(run.Record.Id);
            lock (_gate) _runs.Remove(run.Record.Id);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        return run.Record;
    }

    private async Task WalkAsync(RolloutRun run)
    {
        var record = run.Record;
        var keepRunning = false;
        try
        {
            var report = await stack.As(record.Actor).RolloutAsync(ToRequest(record.Request, record.Id, checkPlan: !run.Resumed), run, run.Stop.Token);
            var result = report.Result;
            record = record with
            {
                Status = result.Outcome == RolloutOutcome.Running ? RolloutRecord.Failed : Kebab(result.Outcome),
                Release = result.State.Release,
                Reason = result.Reason,
                Ended = time.GetUtcNow(),
            };
        }
        catch (OperationCanceledException) when (run.Stop.IsCancellationRequested)
        {
            if (run.AbortedBy is { } by)
                record = record with { Status = RolloutRecord.Aborted, AbortedBy = by, Ended = time.GetUtcNow(), Reason = $"aborted by {by}" };
            else
                keepRunning = true; // the service is stopping: the next start resumes it
        }
        catch (Exception e)
        {
            run.Failure = e;
            record = record with { Status = RolloutRecord.Failed, Reason = e.Message, Ended = time.GetUtcNow() };
        }
        finally
        {
            metrics.RolloutsRunning.Dec();
        }
        run.Record = record;
        if (!keepRunning && run.Started.Task.IsCompleted) records.Save(record);
        // A rollout the stopping service leaves running has not ended: its streams close without an end event, so the
        // clients following it reconnect and follow the walk the next start of the service resumes.
        if (!keepRunning)
            run.Events.Append(new RolloutEvent(record.Id, "end", null, $"{record.Status}{(record.Reason is null ? "" : ": " + record.Reason)}",
                time.GetUtcNow(), TimeSpan.Zero, time.GetUtcNow()));
        run.Events.Complete();
        lock (_gate)
            if (ReferenceEquals(_current, run)) _current = null;
        // A walk loads and renders the whole fleet; the service idles after it.
        ServiceMemory.TrimAfterLoad(time);
    }

    /// <param name="checkPlan">Whether the walker checks the reviewed plan: only on the first start, as a resumed walk
    /// has moved the stacks' state on by design.</param>
    private static RolloutRequest ToRequest(RolloutStart start, string? id, bool checkPlan) => new(
        Duration(start.HoldTimeout, "holdTimeout"),
        Duration(start.GateInterval, "gateInterval"),
        start.Scenario,
        start.AllowMassDelete,
        RunBy: id is null ? null : $"edgeinfra serve, rollout {id}",
        Plan: checkPlan ? start.Plan : null);

    private static TimeSpan? Duration(string? text, string field)
    {
        if (text is null) return null;
        if (!DurationText.TryParse(text, out var span) || span <= TimeSpan.Zero)
            throw new UsageException($"{field} '{text}' must be a positive duration such as 30s, 15m or 4h");
        return span;
    }

    private static string Kebab(RolloutOutcome outcome) => outcome switch
    {
        RolloutOutcome.Completed => RolloutRecord.Completed,
        RolloutOutcome.RolledBack => "rolled-back",
        RolloutOutcome.HoldTimedOut => "hold-timed-out",
        RolloutOutcome.Stopped => "stopped",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private string NewId() =>
        $"ro-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2))}";
}
