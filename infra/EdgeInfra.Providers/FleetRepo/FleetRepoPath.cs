namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Checks the <c>path</c> input of a fleet repo file: a relative, normalised, slash-separated path in the repo.</summary>
internal static class FleetRepoPath
{
    /// <summary>Why <paramref name="path"/> cannot be a file in the fleet repo, or null when it can.</summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path)) return "is empty";
        if (path.Contains('\\', StringComparison.Ordinal)) return "contains '\\' (use '/')";
        if (path.StartsWith('/')) return "is absolute (must be relative to the repo root)";
        if (path.EndsWith('/')) return "ends with '/' (must name a file)";
        if (path.Any(char.IsControl)) return "contains a control character";
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0) return "contains an empty segment ('//')";
            if (segment is "." or "..") return $"contains '{segment}'";
            if (segment.Equals(".git", StringComparison.OrdinalIgnoreCase)) return "points into '.git'";
        }
        return null;
    }
}
