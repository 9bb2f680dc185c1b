using System.Text;

namespace EdgeInfra.Tests.Components;

/// <summary>Compares rendered text with golden files; EDGEINFRA_UPDATE_GOLDEN=1 rewrites them instead.</summary>
internal static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("EDGEINFRA_UPDATE_GOLDEN") == "1";

    /// <summary>Checks a whole directory of golden files: same file set, same contents; reports every difference.</summary>
    public static void AssertDirectory(string part, string name, IReadOnlyDictionary<string, string> files)
    {
        var dir = Path.Combine(RepoPaths.GoldenDir(part), name);
        if (Updating)
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            foreach (var (path, content) in files)
            {
                var full = Path.Combine(dir, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
            return;
        }

        Assert.True(Directory.Exists(dir), $"golden dir {dir} missing; run with EDGEINFRA_UPDATE_GOLDEN=1");
        var expected = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
        var report = new StringBuilder();
        foreach (var missing in expected.Keys.Except(files.Keys).Order(StringComparer.Ordinal))
            report.AppendLine($"not rendered any more: {missing}");
        foreach (var extra in files.Keys.Except(expected.Keys).Order(StringComparer.Ordinal))
            report.AppendLine($"new file without golden: {extra}");
        foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            if (expected.TryGetValue(path, out var want) && want != content)
                report.AppendLine($"--- {path}").Append(Diff(want, content));
        Assert.True(report.Length == 0, $"golden mismatch in {dir} (EDGEINFRA_UPDATE_GOLDEN=1 to accept):\n{report}");
    }

    /// <summary>A line diff good enough to read in a test failure: expected lines marked '-', actual '+'.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var sb = new StringBuilder();
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { x++; y++; }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y])) sb.AppendLine($"+ {b[y++]}");
            else sb.AppendLine($"- {a[x++]}");
        }
        return sb.ToString();
    }
}
