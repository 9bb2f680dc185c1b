namespace EdgeInfra.Service.Rollouts;

/// <summary>A rollout the service started, as it keeps it on disk: who asked, with what, and how it ended.</summary>
/// <param name="Id">The service's name for it (<c>ro-20261207-061500-3f2a</c>).</param>
/// <param name="Status"><c>running</c> until it ends (a service stopped mid-walk leaves it running, and resumes it on
/// start), then <c>completed</c>, <c>rolled-back</c>, <c>hold-timed-out</c>, <c>failed</c> or <c>aborted</c>.</param>
/// <param name="Release">The release the walker rolls out (<c>pos-app=2.5.0,…</c>), once it started.</param>
public sealed record RolloutRecord(
    string Id,
    string Stack,
    string Actor,
    RolloutStart Request,
    string Status,
    DateTimeOffset Started,
    DateTimeOffset? Ended = null,
    string? Release = null,
    string? Reason = null,
    string? AbortedBy = null)
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Aborted = "aborted";

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRunning => Status == Running;
}

/// <summary>What a caller asks of a rollout: overrides of the stack's gate interval and hold timeout (Go durations),
/// a lab scenario, leave to delete more stores than the stack allows, and the reviewed plan to roll out.</summary>
/// <param name="Plan">The file <c>preview --save-plan</c> wrote: the service brings its checkout to what was merged and
/// starts only if that renders exactly the reviewed plan.</param>
public sealed record RolloutStart(string? HoldTimeout = null, string? GateInterval = null, string? Scenario = null, bool AllowMassDelete = false,
    EdgeInfra.Automation.Plans.SavedPlan? Plan = null);
