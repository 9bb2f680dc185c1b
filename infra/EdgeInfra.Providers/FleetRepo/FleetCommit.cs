namespace EdgeInfra.Providers.FleetRepo;

/// <summary>One commit on the fleet repo branch, as audit and <c>edgeinfra history</c> show it.</summary>
/// <param name="Subject">The first line of the message.</param>
/// <param name="Body">The message without its trailer block.</param>
/// <param name="Trailers">The trailers in order (<c>Edge-Stack</c>, <c>Edge-Ring</c>, …); empty for a hand-made commit without any.</param>
/// <param name="Changes">The paths the commit changed against its first parent, ordinal order.</param>
public sealed record FleetCommit(
    string Sha,
    IReadOnlyList<string> Parents,
    string AuthorName,
    string AuthorEmail,
    DateTimeOffset When,
    string Subject,
    string Body,
    IReadOnlyList<KeyValuePair<string, string>> Trailers,
    IReadOnlyList<FleetPathChange> Changes)
{
    /// <summary>The value of the first trailer named <paramref name="key"/> (case-insensitive, as git compares them), or null.</summary>
    public string? Trailer(string key) =>
        Trailers.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>One path a fleet repo commit changed.</summary>
public sealed record FleetPathChange(string Path, FleetPathChangeKind Kind);

/// <summary>How a commit changed a path.</summary>
public enum FleetPathChangeKind { Added, Modified, Deleted }
