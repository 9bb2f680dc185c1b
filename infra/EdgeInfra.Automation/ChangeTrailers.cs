using System.Globalization;
using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Automation;

/// <summary>The git trailers every fleet-repo commit carries, so the repo itself is the audit trail.</summary>
internal static class ChangeTrailers
{
    public const string Stack = "Edge-Stack";
    public const string Ring = "Edge-Ring";
    public const string Release = "Edge-Release";
    public const string Actor = "Edge-Actor";
    public const string SourceCommit = "Edge-Source-Commit";
    public const string Stores = "Edge-Stores";

    /// <summary>The image digests the ring's release is pinned to, <c>app=sha256:…</c>; only on commits of pinned rings.</summary>
    public const string Digest = "Edge-Digest";

    /// <summary>The options of one stack's update: who makes it, from which commit, and the commit it leaves.</summary>
    public static UpdateOptions Describe(UpdateOptions options, SelectedStack stack, SourceInfo source, string verb, string? userMessage) =>
        options with
        {
            Actor = source.Actor,
            SourceCommit = source.SourceCommit,
            Trailers = For(stack.Desired, stack.Ring, source),
            Message = Message(verb, stack.Desired, stack.Ring, userMessage),
        };

    public static IReadOnlyList<KeyValuePair<string, string>> For(DesiredStack desired, string? ring, SourceInfo source)
    {
        var release = StackOutputs.Release(desired);
        var digests = StackOutputs.Digests(desired);
        List<KeyValuePair<string, string>> trailers =
        [
            KeyValuePair.Create(Stack, desired.Stack),
            KeyValuePair.Create(Ring, ring ?? "-"),
            KeyValuePair.Create(Release, release.Key is { Length: > 0 } r ? r : "-"),
            KeyValuePair.Create(Actor, source.Actor),
            KeyValuePair.Create(SourceCommit, source.SourceCommit),
            KeyValuePair.Create(Stores, StackOutputs.Stores(desired).ToString(CultureInfo.InvariantCulture)),
        ];
        if (digests.Count > 0) trailers.Add(KeyValuePair.Create(Digest, string.Join(" ", digests.Select(d => $"{d.Key}={d.Value}"))));
        return trailers;
    }

    public static string Message(string verb, DesiredStack desired, string? ring, string? userMessage)
    {
        var what = ring is null ? "hub files" : $"ring {ring} ({StackOutputs.Stores(desired)} stores)";
        var text = $"{verb} {desired.Stack}: {what}";
        return string.IsNullOrWhiteSpace(userMessage) ? text : $"{text}{Environment.NewLine}{Environment.NewLine}{userMessage}";
    }
}
