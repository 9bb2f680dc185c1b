using System.CommandLine;
using EdgeInfra.Cli.Commands;
using EdgeInfra.Automation;
using Spectre.Console;

namespace EdgeInfra.Cli;

/// <summary>The <c>edgeinfra</c> command line: builds the verb tree, runs one invocation and maps errors to exit codes.</summary>
internal static class CliApp
{
    /// <param name="signals">The process's SIGINT/SIGTERM handling; null in-process (tests), where no signal is caught.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time, TerminationSignals? signals = null)
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
        int code;
        using var deferred = DeferredWrites.Begin();
        try
        {
            // Signals are ours (TerminationSignals), not System.CommandLine's: its handler ends the process after a
            // timeout, whatever the verb was doing.
            code = await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            }, signals?.Token ?? CancellationToken.None);
        }
        catch (Exception ex) when (signals?.ExitCode is null)
        {
            ErrorReport.Write(stderr, ex);
            return ErrorReport.ExitCodeFor(ex);
        }
        catch (Exception)
        {
            // Stopped by a signal: the cancellation surfaces as whichever exception the verb was in; the exit code says why.
            code = ExitCodes.Failure;
        }
        if (signals?.ExitCode is { } signalled)
        {
            stderr.WriteLine($"error: interrupted by {signals.SignalName}; stopped cleanly, state is consistent (run the command again to continue)");
            return signalled;
        }
        if (code == ExitCodes.Success) deferred.Commit();
        return code;
    }

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("EdgeInfra: fleet as code for retail edge sites (K3s stores on a Rancher Fleet hub).");
        foreach (var command in FleetCommands.All(context)) root.Subcommands.Add(command);
        return root;
    }
}
