using EdgeInfra.Tests.Cli;

namespace EdgeInfra.Tests.Drills;

/// <summary>What an uninterrupted <c>up --all-rings</c> of the shipped lab leaves in its fleet repo: the end state every
/// interrupted run must reach. Computed once per test run.</summary>
internal static class UninterruptedUp
{
    public static readonly string[] Args = ["up", "--stack", "lab", "--all-rings", "--yes"];
    private static readonly Lazy<Task<IReadOnlyDictionary<string, string>>> Files = new(ComputeAsync);

    public static Task<IReadOnlyDictionary<string, string>> FleetFilesAsync() => Files.Value;

    private static async Task<IReadOnlyDictionary<string, string>> ComputeAsync()
    {
        using var reference = new LabProject();
        var clean = await reference.Run(Args);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        return FleetRepoInspector.Files(reference.FleetRepo);
    }
}
