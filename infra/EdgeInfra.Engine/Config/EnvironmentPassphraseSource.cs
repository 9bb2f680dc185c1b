namespace EdgeInfra.Engine.Config;

/// <summary>Reads the passphrase from <c>EDGEINFRA_CONFIG_PASSPHRASE</c>, <c>PULUMI_CONFIG_PASSPHRASE</c>, or the file named by their <c>_FILE</c> variants.</summary>
/// <remarks>
/// A variable that is set but empty counts as an empty passphrase, as in Pulumi. A passphrase file is trimmed of
/// surrounding whitespace (Pulumi's <c>strings.TrimSpace</c>), so a trailing newline does not change the key.
/// </remarks>
public sealed class EnvironmentPassphraseSource(Func<string, string?>? getEnv = null, Func<string, string>? readFile = null)
    : IPassphraseSource
{
    public const string Variable = "EDGEINFRA_CONFIG_PASSPHRASE";
    public const string PulumiVariable = "PULUMI_CONFIG_PASSPHRASE";

    private readonly Func<string, string?> _getEnv = getEnv ?? Environment.GetEnvironmentVariable;
    private readonly Func<string, string> _readFile = readFile ?? File.ReadAllText;

    public string Hint => $"set {Variable} (or {PulumiVariable}, or {Variable}_FILE / {PulumiVariable}_FILE naming a file that holds it)";

    public string? GetPassphrase()
    {
        foreach (var name in new[] { Variable, PulumiVariable })
            if (_getEnv(name) is { } phrase) return phrase;
        foreach (var name in new[] { Variable + "_FILE", PulumiVariable + "_FILE" })
        {
            if (_getEnv(name) is not { Length: > 0 } file) continue;
            try
            {
                return _readFile(Path.GetFullPath(file)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"unable to read {name} '{file}': {e.Message}");
            }
        }
        return null;
    }
}
