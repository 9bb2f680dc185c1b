using System.CommandLine;
using EdgeInfra.Cli.Commands;
using Spectre.Console;

namespace EdgeInfra.Cli;

/// <summary>The <c>edgeinfra</c> command line: builds the verb tree, runs one invocation and maps errors to exit codes.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        var context = new CliContext(console, stdout, stderr, time);
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run with --help for usage.");
            return ExitCodes.BadInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ErrorReport.ExitCodeFor(ex) is { } code)
        {
            ErrorReport.Write(stderr, ex);
            return code;
        }
    }

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("EdgeInfra: fleet as code for retail edge sites (K3s stores on a Rancher Fleet hub).");
        foreach (var command in FleetCommands.All(context)) root.Subcommands.Add(command);
        return root;
    }
}
