using EdgeInfra.Automation;
using Spectre.Console;

namespace EdgeInfra.Cli;

/// <summary>What every command handler gets: the console, raw writers for JSON, and the clock.</summary>
internal sealed record CliContext(IAnsiConsole Console, TextWriter Out, TextWriter Error, TimeProvider Time)
{
    /// <summary>The stack a verb acts on, in the project at or above <paramref name="cwd"/> (the working directory when
    /// null); warnings found while loading it go to stderr as they are found.</summary>
    public EdgeInfraStack Stack(string? cwd, string stack) =>
        EdgeInfraWorkspace.Load(CliPaths.Cwd(cwd), Time, warning => Error.WriteLine($"warning: {warning}")).Stack(stack);
}
