using EdgeInfra.Automation;
using Spectre.Console;

namespace EdgeInfra.Cli.Commands;

/// <summary>Asks before changing anything, as Pulumi does; refuses outright when nobody can answer.</summary>
internal static class Confirm
{
    public static void UpdateOrThrow(CliContext context, string question = "Do you want to perform this update?")
    {
        if (Console.IsInputRedirected || !context.Console.Profile.Capabilities.Interactive)
            throw new UsageException("--yes must be passed in to proceed when running in non-interactive mode");
        if (!context.Console.Confirm(question, defaultValue: false))
            throw new OperationCanceledException("update cancelled: nothing was changed");
    }
}
