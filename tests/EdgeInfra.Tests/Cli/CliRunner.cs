using System.Diagnostics;
using EdgeInfra.Cli;

namespace EdgeInfra.Tests.Cli;

/// <summary>What one CLI invocation printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs <c>edgeinfra</c> in-process (fast, for most tests) or as a real child process (for kill -9).</summary>
internal static class CliRunner
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, TimeProvider.System);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The apphost the test project's build places next to the test assembly.</summary>
    public static string AppHost => Path.Combine(AppContext.BaseDirectory, "edgeinfra");

    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(AppHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start edgeinfra");
    }

    public static async Task<CliRun> RunProcessAsync(IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null)
    {
        using var p = Start(args, env);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        return new CliRun(p.ExitCode, await stdout, await stderr);
    }
}
