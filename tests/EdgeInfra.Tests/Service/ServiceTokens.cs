using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Rollout.EndToEnd;

namespace EdgeInfra.Tests.Service;

/// <summary>Gives a lab project's service bearer tokens (<c>config set … service.tokens.NAME</c>, the token a secret
/// under a test passphrase the service process is started with).</summary>
internal static class ServiceTokens
{
    private const string Passphrase = "service-test-passphrase";

    /// <summary>The environment the CLI and the service need to read the tokens' secrets.</summary>
    public static Dictionary<string, string> Env => new() { ["EDGEINFRA_CONFIG_PASSPHRASE"] = Passphrase };

    public static async Task SetAsync(SmallLab lab, params (string Name, string Role, string Token)[] tokens)
    {
        foreach (var (name, role, token) in tokens)
        {
            await ConfigAsync(lab, "--path", $"service.tokens.{name}.role", role);
            await ConfigAsync(lab, "--secret", "--path", $"service.tokens.{name}.token", token);
        }
    }

    private static async Task ConfigAsync(SmallLab lab, params string[] args)
    {
        var run = await CliRunner.RunProcessAsync(["config", "set", "--stack", "lab", .. args, "--cwd", lab.Dir], TimeSpan.FromMinutes(1), Env);
        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
