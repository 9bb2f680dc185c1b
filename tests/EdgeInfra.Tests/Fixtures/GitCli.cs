using System.Diagnostics;

namespace EdgeInfra.Tests.Fixtures;

/// <summary>Runs the real <c>git</c> command line: an independent second writer and an independent judge of what we wrote.</summary>
/// <remarks>Isolated from the machine's git config, so tests behave the same on every machine.</remarks>
internal static class GitCli
{
    public const string DebianPackage = "git";

    /// <summary>Runs git in <paramref name="workDir"/>; returns stdout, throws with stderr when git fails.</summary>
    public static string Run(string? workDir, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workDir is not null) start.WorkingDirectory = workDir;
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Second Writer";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "second@example.test";

        if (workDir is not null && !Directory.Exists(workDir))
            throw new DirectoryNotFoundException($"git {string.Join(' ', args)}: working directory {workDir} does not exist");
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"git is not installed ({e.Message}); install the Debian package '{DebianPackage}'", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"git {string.Join(' ', args)} did not finish in 60 s");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"git {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
            return stdout.Result;
        }
    }

    /// <summary>Clones <paramref name="url"/> into <paramref name="dir"/>, makes one commit writing <paramref name="files"/>, and pushes it.</summary>
    public static string CommitAndPush(string url, string branch, string dir, string message, params (string Path, string Content)[] files)
    {
        if (!Directory.Exists(Path.Combine(dir, ".git"))) Run(null, "clone", "-q", "--branch", branch, url, dir);
        else Run(dir, "pull", "-q", "--ff-only", "origin", branch);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            Run(dir, "add", "--", path);
        }
        Run(dir, "commit", "-q", "-m", message);
        Run(dir, "push", "-q", "origin", $"HEAD:refs/heads/{branch}");
        return Run(dir, "rev-parse", "HEAD").Trim();
    }
}
