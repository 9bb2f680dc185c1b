using System.Runtime.InteropServices;

namespace EdgeInfra.Cli;

/// <summary>The runtime settings <c>edgeinfra serve</c> runs with, which differ from every other verb's, and the
/// re-execution of the process that applies them.</summary>
/// <remarks>
/// The service is long-lived and idles between requests; the other verbs are short and wait on start-up. Tiered
/// compilation suits the verbs (each method is first compiled quickly, then again optimised once hot) but leaves an
/// idle service holding both copies of every method a rollout ran: the lab service idled at 161 MB after a rollout with
/// it, 142 MB without (budget 150 MB; docs/benchmarks.md). The setting is read once, when the runtime starts, and the
/// process has one runtime configuration file, so <c>serve</c> replaces its own process image (execve: same pid, same
/// arguments, standard streams and signals) with the setting in its environment before it does anything else. Where
/// that is not possible (not Linux, or execve fails) it runs as it is, with a warning.
/// </remarks>
internal static class ServiceRuntime
{
    /// <summary>The environment variable and value the runtime reads at start: one optimised copy of each method.</summary>
    public const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    /// <summary>Re-executes the process with the service's runtime settings when <paramref name="args"/> start the
    /// service and the settings are not already chosen; returns only when it did not (or could not) re-execute.</summary>
    /// <param name="args">The command line, as <c>Main</c> received it.</param>
    /// <param name="error">Where a failure to re-execute is reported.</param>
    public static void ApplyIfServing(string[] args, TextWriter error)
    {
        if (args.Length == 0 || args[0] != "serve") return;
        // Already applied, or chosen by whoever started us: theirs stands (and re-executing again would loop).
        if (Environment.GetEnvironmentVariable(TieredCompilationVariable) is not null) return;
        if (!OperatingSystem.IsLinux()) return;
        var path = Environment.ProcessPath;
        var argv = OwnCommandLine();
        if (path is null || argv is null) return;

        var environment = Environment.GetEnvironmentVariables();
        var envp = new List<string>(environment.Count + 1) { $"{TieredCompilationVariable}=0" };
        foreach (System.Collections.DictionaryEntry entry in environment) envp.Add($"{entry.Key}={entry.Value}");
        var errno = Exec(path, argv, envp);
        error.WriteLine($"warning: serve could not re-start with its runtime settings (execve: errno {errno}); running with tiered compilation, which holds more memory while idle");
    }

    /// <summary>The process's exact argument vector (an apphost, or <c>dotnet edgeinfra.dll …</c>), as the kernel
    /// holds it.</summary>
    private static string[]? OwnCommandLine()
    {
        try
        {
            var raw = File.ReadAllText("/proc/self/cmdline");
            return raw.TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Calls execve; returns its errno, as it returns only on failure.</summary>
    private static int Exec(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp)
    {
        var argvPointers = NullTerminated(argv);
        var envpPointers = NullTerminated(envp);
        try
        {
            _ = ExecVe(path, argvPointers, envpPointers);
            return Marshal.GetLastPInvokeError();
        }
        finally
        {
            foreach (var p in argvPointers) Marshal.FreeCoTaskMem(p);
            foreach (var p in envpPointers) Marshal.FreeCoTaskMem(p);
        }
    }

    private static IntPtr[] NullTerminated(IReadOnlyList<string> values)
    {
        var pointers = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++) pointers[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        return pointers;
    }

    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int ExecVe([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr[] argv, IntPtr[] envp);
}
