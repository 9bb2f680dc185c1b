using LibGit2Sharp;

namespace EdgeInfra.Automation.Plans;

/// <summary>The service's working copy of the config repository, brought to what was merged before a reviewed plan is
/// rolled out: fetched from <c>origin</c> and fast-forwarded to the branch it tracks.</summary>
/// <remarks>
/// A plan carries fingerprints, not the files: the service runs the merged commit, and the plan's fingerprints then
/// prove that what was merged renders exactly what was reviewed (a merge that changed an input is refused, naming it).
/// A project directory that is not a clone with an <c>origin</c> is used as it is; the fingerprints still guard it.
/// </remarks>
public static class ConfigCheckout
{
    /// <summary>Fetches <c>origin</c> and fast-forwards the checkout to its upstream; the commit the plan was
    /// reviewed on must be part of what is now checked out.</summary>
    /// <returns>The commit checked out, or null when the project is not a clone with an <c>origin</c>.</returns>
    /// <exception cref="PlanStaleException">The reviewed commit is not merged, the checkout has local changes, or it
    /// has diverged from its upstream.</exception>
    public static string? SyncForPlan(string projectDir, SavedPlan plan)
    {
        if (Repository.Discover(projectDir) is not { } gitDir) return null;
        using var repo = new Repository(gitDir);
        if (repo.Network.Remotes["origin"] is not { } origin) return null;
        var stale = (string why) => new PlanStaleException(plan.Stack, [why]);

        Commands.Fetch(repo, origin.Name, origin.FetchRefSpecs.Select(r => r.Specification), new FetchOptions(), "edgeinfra serve: fetch for a reviewed plan");
        var upstream = repo.Head.TrackedBranch ?? repo.Branches[$"origin/{repo.Head.FriendlyName}"]
            ?? throw stale($"the service's checkout is on {repo.Head.FriendlyName}, which has no branch on origin to follow");
        if (repo.RetrieveStatus(new StatusOptions { IncludeUntracked = false }).IsDirty)
            throw stale("the service's checkout of the config repository has local changes; it only runs what was merged");
        var head = repo.Head.Tip;
        var tip = upstream.Tip;
        if (head is not null && head.Sha != tip.Sha)
        {
            if (repo.ObjectDatabase.FindMergeBase(head, tip)?.Sha != head.Sha)
                throw stale($"the service's checkout ({head.Sha[..12]}) has diverged from {upstream.FriendlyName} ({tip.Sha[..12]})");
            repo.Reset(ResetMode.Hard, tip);
        }

        var reviewed = plan.SourceCommit;
        if (reviewed.EndsWith("-dirty", StringComparison.Ordinal) || reviewed == "none")
            throw stale($"the plan was previewed on uncommitted files ({reviewed}); preview a committed change to roll it out from the service");
        if (repo.Lookup<Commit>(reviewed) is not { } commit)
            throw stale($"the reviewed commit {Short(reviewed)} is not on origin; push and merge it first");
        if (commit.Sha != tip.Sha && repo.ObjectDatabase.FindMergeBase(commit, tip)?.Sha != commit.Sha)
            throw stale($"the reviewed commit {Short(reviewed)} is not merged into {upstream.FriendlyName} ({tip.Sha[..12]})");
        return tip.Sha;
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
