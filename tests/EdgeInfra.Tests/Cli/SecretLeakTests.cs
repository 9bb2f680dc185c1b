using System.Text;

namespace EdgeInfra.Tests.Cli;

/// <summary>A registry mirror credential set as a secret never shows up in plaintext: not in output, state, history,
/// caches or the fleet repo.</summary>
public sealed class SecretLeakTests : IDisposable
{
    private const string Secret = "edge-pull:s3cr3t-Vw9qZ";
    private static readonly Dictionary<string, string> Env = new() { ["EDGEINFRA_CONFIG_PASSPHRASE"] = "correct horse battery staple" };
    private readonly LabProject _lab = new();

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task Up_WithMirrorSecret_SecretAppearsNowhereInPlaintext()
    {
        _lab.Edit(_lab.LabConfig, text => text.Replace(
            "    eu-central:\n      mirror: https://mirror-eu-central.lab.edgeinfra.local:5000\n",
            "    eu-central:\n      mirror: https://mirror-eu-central.lab.edgeinfra.local:5000\n      authKey: mirrorEuCentralAuth\n"));
        var set = await Run("config", "set", "--stack", "lab", "--secret", "mirrorEuCentralAuth", Secret);
        Assert.True(set.ExitCode == 0, set.ToString());

        var up = await Run("up", "--stack", "lab", "--all-rings", "--yes", "--diff");
        var preview = await Run("preview", "--stack", "lab", "--diff", "--json");
        var export = await Run("stack", "export", "--stack", "lab", "--ring", "retail-region-1");

        Assert.True(up.ExitCode == 0, up.ToString());
        // The credential really was rendered: the eu-central stores' registries.yaml is a secret, encrypted in state.
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("\"4dabf18193072939515e22adb298388d\"", export.Out);
        foreach (var run in new[] { set, up, preview, export })
            Assert.DoesNotContain(Secret, run.Out + run.Error);
        foreach (var file in Directory.EnumerateFiles(_lab.Dir, "*", SearchOption.AllDirectories))
            Assert.False(Leaks(file), $"{Path.GetRelativePath(_lab.Dir, file)} holds the secret in plaintext");
        foreach (var (path, content) in FleetRepoInspector.Files(_lab.FleetRepo))
            Assert.False(content.Contains(Secret, StringComparison.Ordinal) || content.Contains(Base64(Secret), StringComparison.Ordinal), path);
        Assert.Contains("[secret]", up.Out);
    }

    private Task<CliRun> Run(params string[] args) =>
        CliRunner.RunProcessAsync([.. args, "--cwd", _lab.Dir], TimeSpan.FromMinutes(2), Env);

    private static string Base64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static bool Leaks(string file)
    {
        var text = EdgeInfra.Tests.Providers.Ssh.SecretScan.Read(file);
        return text.Contains(Secret, StringComparison.Ordinal) || text.Contains(Base64(Secret), StringComparison.Ordinal)
               || text.Contains("s3cr3t-Vw9qZ", StringComparison.Ordinal);
    }
}
