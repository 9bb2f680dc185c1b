using EdgeInfra.Engine.Config;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Automation;

/// <summary>One stack's rollout-host files (state, holds, freeze, audit) and who is acting, for the verbs that only
/// record a decision (freeze, hold, audit) and so need no fleet model.</summary>
internal sealed record RolloutScope(ProjectFile Project, string Stack, RolloutPaths Paths, SourceInfo Source)
{
    public HoldStore Holds => new(Paths);
    public FreezeStore Freezes => new(Paths);
    public AuditLog Audit => new(Paths);
    public string Actor => Source.Actor;

    public static RolloutScope Open(string? cwd, string stack, string? actor = null)
    {
        var project = ProjectLocator.Load(CliPaths.Cwd(cwd));
        if (!File.Exists(Path.Combine(project.ProjectDir, $"Pulumi.{stack}.yaml")))
            throw new UsageException($"stack '{stack}' has no Pulumi.{stack}.yaml in {project.ProjectDir}");
        return new RolloutScope(project, stack, RolloutPaths.For(project.StateRoot, stack), SourceInfo.Discover(project.ProjectDir, actor));
    }

    public static RolloutScope Of(FleetWorkspace ws, string? actor = null) =>
        new(ws.Project, ws.Stack, RolloutPaths.For(ws.Project.StateRoot, ws.Stack), SourceInfo.Discover(ws.Project.ProjectDir, actor));

    /// <summary>Records an operator's decision in the audit log.</summary>
    public Task RecordAsync(TimeProvider time, string action, string reason, string? ring = null, string? release = null,
        IReadOnlyDictionary<string, string>? data = null, CancellationToken ct = default) =>
        Audit.AppendAsync(new AuditRecord(time.GetUtcNow(), Actor, action, Stack, ring, release, reason, null, data), ct);
}
