using System.Text;

namespace EdgeInfra.Providers.Ssh;

/// <summary>Builds POSIX shell command lines in which every argument is one single-quoted word.</summary>
/// <remarks>
/// Inside single quotes the shell interprets nothing, so the only character to handle is the single quote itself
/// (closed, escaped, reopened: <c>'\''</c>). NUL cannot be passed through a command line at all and is refused.
/// Validation keeps store ids and labels to the Kubernetes grammar; quoting is the second wall, for every argument.
/// </remarks>
public static class ShellQuote
{
    /// <summary>One argument as a single shell word.</summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("a shell argument cannot contain a NUL character", nameof(argument));
        return "'" + argument.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A command line: the program and its arguments, each quoted.</summary>
    public static string Command(string program, params IEnumerable<string> arguments)
    {
        var line = new StringBuilder(Quote(program));
        foreach (var a in arguments) line.Append(' ').Append(Quote(a));
        return line.ToString();
    }

    /// <summary><c>NAME='value'</c> for an environment assignment before a command; the name must be a plain identifier.</summary>
    public static string Assignment(string name, string value)
    {
        if (name.Length == 0 || !name.All(c => c is '_' or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9')) || char.IsAsciiDigit(name[0]))
            throw new ArgumentException($"'{name}' is not a shell variable name", nameof(name));
        return $"{name}={Quote(value)}";
    }
}
