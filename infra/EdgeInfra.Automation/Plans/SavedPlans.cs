using System.Security.Cryptography;
using EdgeInfra.Engine;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Automation.Plans;

/// <summary>Makes a <see cref="SavedPlan"/> from a preview, and checks one against the workspace as it is now.</summary>
/// <remarks>The input files name what moved in words a reviewer knows; the digest of each rendered stack catches what
/// no input file shows (an app's manifests directory, catch-up pauses, another edgeinfra version); the history version
/// of each stack's state catches an update, a rollback or a refresh since the preview.</remarks>
internal static class SavedPlans
{
    public static async Task<SavedPlan> CreateAsync(FleetWorkspace ws, string? ring,
        IReadOnlyList<(SelectedStack Stack, StackChangeView View)> previews, SourceInfo source, TimeProvider time, CancellationToken ct)
    {
        var stacks = new List<PlannedStack>(previews.Count);
        foreach (var (s, view) in previews)
            stacks.Add(new PlannedStack(s.Name, s.Ring, DesiredStackDigest.Compute(s.Desired), await StateVersionAsync(ws, s.Name, ct),
                view.Releases, view.Counts, view.StoresReached));
        return new SavedPlan(SavedPlan.CurrentFormat, ws.Project.Name, ws.Stack, time.GetUtcNow(), source.Actor, source.SourceCommit,
            ring, Inputs(ws), stacks);
    }

    /// <summary>Refuses a plan made for another project or stack, or one that is out of date.</summary>
    /// <exception cref="UsageException">The plan belongs to another project or stack, or covers another ring.</exception>
    /// <exception cref="PlanStaleException">An input or a stack's state moved since the preview.</exception>
    public static async Task VerifyAsync(FleetWorkspace ws, SavedPlan plan, string? ring, CancellationToken ct)
    {
        if (plan.Project != ws.Project.Name || plan.Stack != ws.Stack)
            throw new UsageException($"the plan is for stack {plan.Stack} of project {plan.Project}, not stack {ws.Stack} of project {ws.Project.Name}");
        if (plan.Ring != ring)
            throw new UsageException($"the plan covers {Describe(plan.Ring)}, this run {Describe(ring)}; preview {(ring is null ? "without --ring" : $"with --ring {ring}")} and save that plan");
        var moved = MovedInputs(plan.Inputs, Inputs(ws)).ToList();
        var current = StackSelection.Resolve(ws, ring, allRings: ring is null, requireChoice: false, "plan").ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var reviewed in plan.Stacks)
        {
            if (!current.Remove(reviewed.Stack, out var now)) { moved.Add($"{reviewed.Stack} is no longer a stack of {ws.Stack}"); continue; }
            var version = await StateVersionAsync(ws, reviewed.Stack, ct);
            if (version != reviewed.StateVersion)
                moved.Add($"the state of {reviewed.Stack} moved from history version {reviewed.StateVersion} to {version}");
            if (DesiredStackDigest.Compute(now.Desired) != reviewed.Desired)
                moved.Add(moved.Count == 0
                    ? $"{reviewed.Stack} renders differently than reviewed (an app's manifests, the catch-up pauses or the edgeinfra version changed)"
                    : $"{reviewed.Stack} renders differently than reviewed");
        }
        moved.AddRange(current.Keys.Select(s => $"{s} is a new stack the plan does not cover"));
        if (moved.Count > 0) throw new PlanStaleException(ws.Stack, moved);
    }

    private static string Describe(string? ring) => ring is null ? "every ring" : $"ring {ring}";

    private static IEnumerable<string> MovedInputs(IReadOnlyList<PlanInput> reviewed, IReadOnlyList<PlanInput> now)
    {
        var current = now.ToDictionary(i => i.Path, i => i.Sha256, StringComparer.Ordinal);
        foreach (var input in reviewed)
        {
            if (!current.Remove(input.Path, out var hash)) yield return $"{input.Path} is no longer an input";
            else if (hash != input.Sha256) yield return $"{input.Path} changed since the preview";
        }
        foreach (var path in current.Keys) yield return $"{path} is a new input";
    }

    /// <summary>The project file, the stack's config and its inventory, project-relative, with their SHA-256.</summary>
    private static IReadOnlyList<PlanInput> Inputs(FleetWorkspace ws)
    {
        string[] files = [ws.Project.Path, ws.Project.StackFilePath(ws.Stack), ws.Fleet.InventoryPath];
        return [.. files.Distinct(StringComparer.Ordinal).Select(f => new PlanInput(ws.Project.Display(f), Sha256(f)))];
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static async Task<int> StateVersionAsync(FleetWorkspace ws, string stack, CancellationToken ct)
    {
        if (!ws.Backend.ListStacks().Contains(stack, StringComparer.Ordinal)) return 0;
        var history = await ws.Backend.HistoryAsync(stack, ct);
        return history.Count == 0 ? 0 : history.Max(h => h.Version);
    }
}
