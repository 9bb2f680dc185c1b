using System.CommandLine;
using EdgeInfra.Cli.Commands;
using Spectre.Console;

namespace EdgeInfra.Cli;

/// <summary>The <c>edgeinfra</c> command line: builds the verb tree, runs one invocation and maps errors to exit codes.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        // Colour and progress bars only on a real terminal: redirected output (CI logs, tests, pipes) stays plain text.
        var terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal) console.Profile.Width = 200;
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
        catch (Exception ex)
        {
            ErrorReport.Write(stderr, ex);
            return ErrorReport.ExitCodeFor(ex);
        }
    }

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("EdgeInfra: fleet as code for retail edge sites (K3s stores on a Rancher Fleet hub).");
        foreach (var command in FleetCommands.All(context)) root.Subcommands.Add(command);
        return root;
    }
}
