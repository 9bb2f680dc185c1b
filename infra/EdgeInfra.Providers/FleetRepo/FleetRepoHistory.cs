using LibGit2Sharp;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Reads the fleet repo branch's commits, newest first, with their trailers and changed paths.</summary>
/// <remarks>
/// Fetches into the same kind of bare cache the provider uses; give it its own <see cref="FleetRepoOptions.CacheDir"/>
/// (or the provider's, when no run is in progress) since one cache serves one writer at a time.
/// </remarks>
public sealed class FleetRepoHistory : IDisposable
{
    private readonly FleetRepoCache _cache;

    public FleetRepoHistory(FleetRepoOptions options, FleetRepoCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cache = new FleetRepoCache(options, credentials);
    }

    /// <summary>The branch's commits, newest first (children before parents); at most <paramref name="maxCount"/>.</summary>
    public Task<IReadOnlyList<FleetCommit>> ReadAsync(int? maxCount = null, CancellationToken ct = default)
    {
        if (maxCount < 0) throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "must not be negative");
        return Task.Run<IReadOnlyList<FleetCommit>>(() =>
        {
            var tip = _cache.Fetch(ct);
            if (tip is null) return [];
            var repository = _cache.Repository;
            var filter = new CommitFilter
            {
                IncludeReachableFrom = tip,
                SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time,
            };
            var commits = new List<FleetCommit>();
            foreach (var commit in repository.Commits.QueryBy(filter))
            {
                if (commits.Count == maxCount) break;
                ct.ThrowIfCancellationRequested();
                commits.Add(Describe(repository, commit));
            }
            return commits;
        }, ct);
    }

    public void Dispose() => _cache.Dispose();

    private static FleetCommit Describe(Repository repository, Commit commit)
    {
        var parent = commit.Parents.FirstOrDefault();
        using var diff = repository.Diff.Compare<TreeChanges>(parent?.Tree, commit.Tree);
        var changes = diff
            .Select(c => new FleetPathChange(c.Path, c.Status switch
            {
                ChangeKind.Added => FleetPathChangeKind.Added,
                ChangeKind.Deleted => FleetPathChangeKind.Deleted,
                _ => FleetPathChangeKind.Modified,
            }))
            .OrderBy(c => c.Path, StringComparer.Ordinal)
            .ToList();
        var message = commit.Message;
        return new FleetCommit(
            commit.Sha,
            [.. commit.Parents.Select(p => p.Sha)],
            commit.Author.Name,
            commit.Author.Email,
            commit.Author.When,
            commit.MessageShort,
            GitTrailers.Body(message),
            GitTrailers.Parse(message),
            changes);
    }
}
