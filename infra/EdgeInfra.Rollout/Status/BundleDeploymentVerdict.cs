using System.Globalization;
using EdgeInfra.Providers.Hub;

namespace EdgeInfra.Rollout.Status;

/// <summary>Where one BundleDeployment stands against the commit its ring was applied at (fleet.md §5.2, §5.5).</summary>
/// <param name="AttemptedRevision">The commit of the deployment the BD was promoted to, when it was promoted.</param>
/// <param name="AppliedRevision">The commit the BD applied and reported Ready on, when it did.</param>
internal readonly record struct BundleDeploymentVerdict(StoreState State, string? Reason, string? AttemptedRevision, string? AppliedRevision)
{
    /// <param name="notReadySince">When the BD was first seen not Ready on its current deployment, for BDs whose
    /// Ready condition carries no time (the reader remembers it across readings).</param>
    /// <param name="onRevision">Whether a commit label other than <paramref name="revision"/> stands for it: a commit
    /// (typically a later one Fleet relabelled the BD with) whose ring bundle dirs are those of the revision.</param>
    public static BundleDeploymentVerdict Of(HubBundleDeployment bd, string revision, DateTimeOffset now, TimeSpan failureDeadline,
        Func<HubBundleDeployment, DateTimeOffset> notReadySince, Func<string?, bool>? onRevision = null)
    {
        var label = bd.Metadata.Label(FleetLabels.Commit);
        var equivalent = label == revision || (onRevision?.Invoke(label) ?? false);
        // A label equivalent to the revision is reported as the revision, so every store of a ring shows one commit.
        var commit = equivalent ? revision : label;
        var staged = bd.Spec?.StagedDeploymentId;
        var current = bd.Spec?.DeploymentId;
        var applied = bd.Status?.AppliedDeploymentId;
        var ready = bd.Status?.Ready == true;
        var promoted = !string.IsNullOrEmpty(current) && staged == current;
        // Applied and Ready on the deployment it carries: whatever commit that was, the store runs it.
        var appliedRevision = promoted && applied == current && ready ? commit : null;
        var attempted = promoted ? commit : null;
        var name = bd.Metadata.Name;

        if (!equivalent)
            return new(StoreState.Pending, $"{name}: Fleet has not staged {Short(revision)} yet (on {Short(label) ?? "no commit"})", null, appliedRevision);
        if (!promoted)
            return new(StoreState.Pending, bd.Spec?.Paused == true
                ? $"{name}: paused"
                : $"{name}: staged, waiting for its partition to open (maxUnavailable)", null, appliedRevision);
        if (applied != current)
        {
            if (bd.Status?.Condition("Deployed") is { Status: "False" } deployed)
                return new(StoreState.Failed, $"{name}: ErrApplied: {deployed.Message ?? deployed.Reason ?? "deploy failed"}", attempted, null);
            return new(StoreState.Applying, $"{name}: waiting for the agent to apply the new deployment", attempted, null);
        }
        if (!ready)
        {
            var readyCondition = bd.Status?.Condition("Ready");
            var since = ParseTime(readyCondition is { Status: "False" } ? readyCondition.LastTransitionTime : null) ?? notReadySince(bd);
            var message = readyCondition?.Message is { Length: > 0 } m ? $": {m}" : "";
            var age = now - since;
            return age > failureDeadline
                ? new(StoreState.Failed, $"{name}: not Ready for {Age(age)} (deadline {Age(failureDeadline)}){message}", attempted, null)
                : new(StoreState.Applying, $"{name}: applied, not Ready yet{message}", attempted, null);
        }
        if (bd.Status?.NonModified == false)
            return new(StoreState.Drifted, $"{name}: Modified (changed outside Git)", attempted, commit);
        return new(StoreState.Ready, null, attempted, commit);
    }

    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    public static string? Short(string? commit) => commit is { Length: > 12 } ? commit[..12] : commit;

    public static string Age(TimeSpan span) => span.TotalDays >= 1 ? $"{span.TotalDays:0.#}d"
        : span.TotalHours >= 1 ? $"{span.TotalHours:0.#}h"
        : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0}m"
        : $"{Math.Max(0, span.TotalSeconds):0}s";
}
