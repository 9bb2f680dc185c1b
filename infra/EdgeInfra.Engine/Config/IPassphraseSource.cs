namespace EdgeInfra.Engine.Config;

/// <summary>Supplies the passphrase that protects a stack's secrets, asked only when a secret is encrypted or decrypted.</summary>
public interface IPassphraseSource
{
    /// <summary>The passphrase, or null when none is configured.</summary>
    string? GetPassphrase();

    /// <summary>How a user provides the passphrase, for error messages (e.g. the environment variable names).</summary>
    string Hint { get; }
}
