using System.IO.Compression;
using System.Text;
using EdgeInfra.Tests.Cli;

namespace EdgeInfra.Tests.Providers.Ssh;

/// <summary>Asserts that secrets appear nowhere in plaintext: not in CLI output, not in any file under the project
/// (stack file, state, journal, history, caches), not in the fleet repo.</summary>
internal static class SecretScan
{
    public static void AssertNoLeak(string projectDir, IEnumerable<CliRun> runs, params string[] secrets)
    {
        // A private key is checked by its body lines: any one of them leaking is a leak.
        var needles = secrets.SelectMany(s => s.Contains('\n', StringComparison.Ordinal)
            ? s.Split('\n').Where(l => l.Length >= 20 && !l.StartsWith("-----", StringComparison.Ordinal))
            : [s]).SelectMany(n => new[] { n, Convert.ToBase64String(Encoding.UTF8.GetBytes(n)) }).ToList();
        foreach (var run in runs)
            foreach (var n in needles)
                Assert.False((run.Out + run.Error).Contains(n, StringComparison.Ordinal), $"CLI output holds a secret:\n{run}");
        foreach (var file in Directory.EnumerateFiles(projectDir, "*", SearchOption.AllDirectories))
        {
            var text = Read(file);
            foreach (var n in needles)
                Assert.False(text.Contains(n, StringComparison.Ordinal), $"{Path.GetRelativePath(projectDir, file)} holds a secret in plaintext");
        }
        var repo = Path.Combine(projectDir, ".edgeinfra", "fleet.git");
        Assert.True(Directory.Exists(repo), "the fleet repo was not written");
        foreach (var (path, content) in FleetRepoInspector.Files(repo))
            foreach (var n in needles)
                Assert.False(content.Contains(n, StringComparison.Ordinal), $"fleet repo {path} holds a secret");
    }

    /// <summary>A file's text, gunzipped first when it is a <c>.gz</c> (history and journal archives).</summary>
    public static string Read(string file)
    {
        var bytes = File.ReadAllBytes(file);
        if (file.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gz.CopyTo(plain);
            bytes = plain.ToArray();
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
