namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Where the fleet repo lives and how EdgeInfra commits to it.</summary>
/// <param name="RemoteUrl">
/// A local path or <c>file://</c> URL (a bare repo, created with <paramref name="Branch"/> as HEAD when missing — the lab's
/// <c>.edgeinfra/fleet.git</c>), or a <c>git://</c>, <c>https://</c> or <c>ssh://</c> URL. Credentials in the URL are
/// accepted but better passed as <see cref="FleetRepoCredentials"/>; either way they never reach a message.
/// </param>
/// <param name="Branch">The branch Fleet's GitRepo objects watch.</param>
/// <param name="CacheDir">A bare clone kept between runs so a fetch only transfers what is new; one per concurrent writer.</param>
/// <param name="MaxPushAttempts">How many times a push rejected as non-fast-forward is rebased and retried, in total.</param>
public sealed record FleetRepoOptions(
    string RemoteUrl,
    string Branch,
    string CacheDir,
    string AuthorName,
    string AuthorEmail,
    int MaxPushAttempts = 5)
{
    /// <summary>The first backoff delay between push attempts; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The lab's fleet repo: the bare repo <c>&lt;project&gt;/.edgeinfra/fleet.git</c> on branch <c>main</c>, with a cache per
    /// stack under <c>.edgeinfra/cache/fleetrepo/</c> so ring stacks applied at the same time never share one.
    /// </summary>
    public static FleetRepoOptions ForLab(string projectDir, string stack)
    {
        var root = Path.Combine(Path.GetFullPath(projectDir), ".edgeinfra");
        return new(Path.Combine(root, "fleet.git"), "main", Path.Combine(root, "cache", "fleetrepo", stack), "EdgeInfra", "edgeinfra@localhost");
    }

    /// <summary>Every problem with these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(RemoteUrl)) problems.Add("fleet repo: remote URL is empty");
        if (!IsValidBranch(Branch)) problems.Add($"fleet repo: '{Branch}' is not a valid branch name");
        if (string.IsNullOrWhiteSpace(CacheDir)) problems.Add("fleet repo: cache directory is empty");
        if (string.IsNullOrWhiteSpace(AuthorName)) problems.Add("fleet repo: author name is empty");
        if (string.IsNullOrWhiteSpace(AuthorEmail) || !AuthorEmail.Contains('@', StringComparison.Ordinal))
            problems.Add($"fleet repo: author email '{AuthorEmail}' is not an email address");
        if (MaxPushAttempts < 1) problems.Add($"fleet repo: max push attempts must be at least 1, not {MaxPushAttempts}");
        if (RetryBaseDelay < TimeSpan.Zero) problems.Add("fleet repo: retry delay must not be negative");
        return problems;
    }

    // The remote URL may carry credentials, so the generated ToString (used by loggers and test output) must not print it.
    public override string ToString() =>
        $"{nameof(FleetRepoOptions)} {{ RemoteUrl = {SafeRemote()}, Branch = {Branch}, CacheDir = {CacheDir}, " +
        $"AuthorName = {AuthorName}, AuthorEmail = {AuthorEmail}, MaxPushAttempts = {MaxPushAttempts}, RetryBaseDelay = {RetryBaseDelay} }}";

    private string SafeRemote()
    {
        try { return FleetRepoRemote.Resolve(RemoteUrl, null).Display; }
        catch (Exception e) when (e is FleetRepoException or ArgumentException) { return "(invalid)"; }
    }

    // git check-ref-format's rules, minus the rarely relevant ones: what a Fleet GitRepo's branch can reasonably be.
    private static bool IsValidBranch(string? branch) =>
        !string.IsNullOrWhiteSpace(branch)
        && !branch.StartsWith('/') && !branch.EndsWith('/') && !branch.EndsWith(".lock", StringComparison.Ordinal)
        && !branch.StartsWith('-') && !branch.EndsWith('.')
        && !branch.Contains("..", StringComparison.Ordinal) && !branch.Contains("//", StringComparison.Ordinal)
        && !branch.Contains("@{", StringComparison.Ordinal)
        && branch.All(c => c > ' ' && c != '\x7f' && c is not ('~' or '^' or ':' or '?' or '*' or '[' or '\\'));
}
