using EdgeInfra.Automation;
using EdgeInfra.Automation.Plans;
using EdgeInfra.Automation.Releases;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine;
using EdgeInfra.Engine.State;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Rollout.Holds;

namespace EdgeInfra.Cli;

/// <summary>Maps the exceptions a verb can end with to exit codes and prints them as plain messages.</summary>
/// <remarks>Input problems are listed one per line so every problem is seen at once; a stack trace is printed only
/// for an error nobody anticipated, and only with <c>EDGEINFRA_DEBUG=1</c>.</remarks>
internal static class ErrorReport
{
    public static int ExitCodeFor(Exception ex) => ex switch
    {
        UsageException or InputException or FleetRenderException => ExitCodes.BadInput,
        _ => ExitCodes.Failure,
    };

    public static void Write(TextWriter stderr, Exception ex)
    {
        switch (ex)
        {
            case InputException input:
                stderr.WriteLine($"error: {input.Problems.Count} problem{(input.Problems.Count == 1 ? "" : "s")} found:");
                foreach (var p in input.Problems) stderr.WriteLine($"  - {p}");
                break;
            case FleetRenderException render:
                stderr.WriteLine($"error: rendering failed with {render.Problems.Count} problem{(render.Problems.Count == 1 ? "" : "s")}:");
                foreach (var p in render.Problems) stderr.WriteLine($"  - {p}");
                break;
            case UsageException or StackLockedException or FleetRepoException or OperationCanceledException or ReleaseHeldException or PlanStaleException
                or ReleasePinException:
                stderr.WriteLine($"error: {ex.Message}");
                break;
            default:
                stderr.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
                if (Environment.GetEnvironmentVariable("EDGEINFRA_DEBUG") == "1") stderr.WriteLine(ex);
                break;
        }
    }
}
