using EdgeInfra.Automation;
using System.CommandLine;
using EdgeInfra.Engine;
using EdgeInfra.Lab.FleetRules.Explain;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra fleet explain</c>: what Fleet does next with a bundle (one reconcile pass), why a bundle shows
/// the state it shows, or which targetCustomizations apply; JSON in, JSON out (<c>docs/fleet-explain.md</c>).</summary>
internal static class FleetExplainCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("fleet", "Fleet's own rules, run locally");
        command.Subcommands.Add(Explain(context));
        return command;
    }

    private static Command Explain(CliContext context)
    {
        var input = new Option<string>("--input")
        {
            Description = "The JSON input file (kind partition, state or customization), or - for stdin",
            Required = true,
        };
        var command = new Command("explain",
            "Run one Fleet rule on a JSON input and print the result as JSON: kind partition (one bundle reconcile pass: " +
            "partitions, created, promoted, bundle status), state (summarise BundleDeployment states) or customization " +
            "(which targetCustomizations apply and the merged options). A Fleet reconcile error prints {\"error\": ...}.")
        {
            input,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(input)!;
            var text = ReadInput(path);
            string output;
            try
            {
                output = FleetExplain.ExplainText(text);
            }
            catch (FleetExplainInputException ex)
            {
                throw new InputException([.. ex.Problems.Select(p => $"{(path == "-" ? "stdin" : path)}: {p}")]);
            }
            context.Out.Write(output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ReadInput(string path)
    {
        if (path == "-") return Console.In.ReadToEnd();
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read --input {path}: {ex.Message}");
        }
    }
}
