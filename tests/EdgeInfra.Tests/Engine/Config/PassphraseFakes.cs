using EdgeInfra.Engine.Config;

namespace EdgeInfra.Tests.Engine.Config;

internal sealed class FixedPassphrase(string phrase) : IPassphraseSource
{
    public int Calls { get; private set; }
    public string Hint => "set TEST_PASSPHRASE";

    public string? GetPassphrase()
    {
        Calls++;
        return phrase;
    }
}

/// <summary>Fails the test if anything asks for a passphrase.</summary>
internal sealed class ForbiddenPassphrase : IPassphraseSource
{
    public string Hint => "none";
    public string? GetPassphrase() => throw new InvalidOperationException("the passphrase must not be requested");
}

internal sealed class NoPassphrase : IPassphraseSource
{
    public string Hint => "set EDGEINFRA_CONFIG_PASSPHRASE";
    public string? GetPassphrase() => null;
}
