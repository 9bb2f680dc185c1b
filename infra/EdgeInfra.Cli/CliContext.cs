using Spectre.Console;

namespace EdgeInfra.Cli;

/// <summary>What every command handler gets: the console, raw writers for JSON, and the clock.</summary>
internal sealed record CliContext(IAnsiConsole Console, TextWriter Out, TextWriter Error, TimeProvider Time);
