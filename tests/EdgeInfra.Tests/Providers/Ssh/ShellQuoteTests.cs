using System.Diagnostics;
using EdgeInfra.Providers.Ssh;

namespace EdgeInfra.Tests.Providers.Ssh;

/// <summary>Every argument reaches the command as exactly the one word it was, whatever it holds: checked through a real /bin/sh.</summary>
public sealed class ShellQuoteTests
{
    public static TheoryData<string> Hostile => new()
    {
        "",
        "plain",
        "with space",
        "it's",
        "'",
        "''",
        "'; reboot; '",
        "$(reboot)",
        "`reboot`",
        "${HOME}",
        "a\"b\\c",
        "line1\nline2",
        "tab\there",
        "*",
        "-rf",
        "; rm -rf / #",
        "\\'\\\\'",
        "ünïcødé ✓",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Command_HostileArguments_ReachTheProgramUnchanged(string argument)
    {
        var line = ShellQuote.Command("printf", "%s\\0", argument, "next");

        var output = RunShell(line);

        Assert.Equal(argument + "\0next\0", output);
    }

    [Theory]
    [InlineData("it's", @"'it'\''s'")]
    [InlineData("plain", "'plain'")]
    [InlineData("", "''")]
    public void Quote_Argument_IsOneSingleQuotedWord(string argument, string expected) =>
        Assert.Equal(expected, ShellQuote.Quote(argument));

    [Fact]
    public void Quote_Nul_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ShellQuote.Quote("a\0b"));

    [Theory]
    [InlineData("INSTALL_K3S_VERSION", true)]
    [InlineData("_X1", true)]
    [InlineData("1X", false)]
    [InlineData("A B", false)]
    [InlineData("A;B", false)]
    [InlineData("", false)]
    public void Assignment_Name_MustBeAnIdentifier(string name, bool valid)
    {
        if (valid) Assert.Equal($"{name}='v'\\''1'", ShellQuote.Assignment(name, "v'1"));
        else Assert.Throws<ArgumentException>(() => ShellQuote.Assignment(name, "v"));
    }

    [Fact]
    public void Assignment_HostileValue_IsSeenVerbatimByTheCommand()
    {
        var output = RunShell($"{ShellQuote.Assignment("V", "$(reboot)'; x")} sh -c 'printf %s \"$V\"'");

        Assert.Equal("$(reboot)'; x", output);
    }

    private static string RunShell(string line)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(line);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"sh -c {line} failed: {error}");
        return output;
    }
}
