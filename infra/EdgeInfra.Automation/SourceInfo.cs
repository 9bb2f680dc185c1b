using LibGit2Sharp;

namespace EdgeInfra.Automation;

/// <summary>Who is making a change and from which config-repo commit, for commit trailers and history.</summary>
internal sealed record SourceInfo(string Actor, string SourceCommit)
{
    /// <summary>Reads the actor (<paramref name="actor"/> when given, else EDGEINFRA_ACTOR, else the config repo's git user,
    /// else user@host) and the config repo's HEAD.</summary>
    /// <param name="actor">Who acts when the host knows (the service: the name of the caller's token).</param>
    public static SourceInfo Discover(string projectDir, string? actor = null)
    {
        actor ??= Environment.GetEnvironmentVariable("EDGEINFRA_ACTOR");
        var commit = "none";
        var gitDir = Repository.Discover(projectDir);
        if (gitDir is not null)
        {
            using var repo = new Repository(gitDir);
            if (string.IsNullOrWhiteSpace(actor))
            {
                var name = repo.Config.Get<string>("user.name")?.Value;
                var email = repo.Config.Get<string>("user.email")?.Value;
                if (!string.IsNullOrWhiteSpace(email)) actor = string.IsNullOrWhiteSpace(name) ? email : $"{name} <{email}>";
            }
            if (repo.Head.Tip is { } tip)
            {
                var dirty = repo.RetrieveStatus(new StatusOptions { IncludeUntracked = false, RecurseIgnoredDirs = false }).IsDirty;
                commit = tip.Sha + (dirty ? "-dirty" : "");
            }
        }
        if (string.IsNullOrWhiteSpace(actor)) actor = $"{Environment.UserName}@{Environment.MachineName}";
        return new SourceInfo(actor, commit);
    }
}
