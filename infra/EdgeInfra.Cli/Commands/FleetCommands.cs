using System.CommandLine;

namespace EdgeInfra.Cli.Commands;

/// <summary>The verbs of the <c>edgeinfra</c> command line.</summary>
internal static class FleetCommands
{
    public static IEnumerable<Command> All(CliContext context) => [];
}
