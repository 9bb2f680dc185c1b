namespace EdgeInfra.Engine.Config;

/// <summary>A problem with project or stack configuration (Pulumi.yaml, Pulumi.&lt;stack&gt;.yaml, secrets, passphrase).</summary>
/// <remarks>Carries every problem found, each prefixed with <c>file:line</c> where one is known.</remarks>
public sealed class ConfigException : InputException
{
    public ConfigException(IReadOnlyList<string> problems) : base(problems) { }

    public ConfigException(string problem) : base(problem) { }

    internal static string At(string file, long line, string message) => $"{file}:{line}: {message}";
}
