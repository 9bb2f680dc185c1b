using System.Net;
using EdgeInfra.Tests.Rollout.EndToEnd;

namespace EdgeInfra.Tests.Service;

/// <summary><c>edgeinfra serve</c> runs with the service's runtime settings (no tiered compilation: one compiled copy of
/// each method while it idles), in the process its caller started, so signals and kill -9 reach the service.</summary>
public sealed class ServiceRuntimeTests
{
    [Fact]
    public async Task Serve_StartedByTheCli_ServesFromTheSameProcessWithoutTieredCompilation()
    {
        using var lab = await SmallLab.CreateAsync(6);
        await using var service = await ServiceProcess.StartAsync(lab.Dir);
        using var http = service.Client();

        using var health = await http.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("DOTNET_TieredCompilation=0", Environ(service.Pid));
        Assert.Equal(["serve", "--stack", "lab"], CommandLine(service.Pid).Skip(1).Take(3));
    }

    [Fact]
    public async Task Serve_TieredCompilationChosenByTheCaller_KeepsTheCallersChoice()
    {
        using var lab = await SmallLab.CreateAsync(6);
        await using var service = await ServiceProcess.StartAsync(lab.Dir, new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1" });
        using var http = service.Client();

        using var health = await http.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var environ = Environ(service.Pid);
        Assert.Contains("DOTNET_TieredCompilation=1", environ);
        Assert.DoesNotContain("DOTNET_TieredCompilation=0", environ);
    }

    /// <summary>The environment the running image was started with (after an execve, the one it was given).</summary>
    private static string[] Environ(int pid) => File.ReadAllText($"/proc/{pid}/environ").TrimEnd('\0').Split('\0');

    private static string[] CommandLine(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Split('\0');
}
