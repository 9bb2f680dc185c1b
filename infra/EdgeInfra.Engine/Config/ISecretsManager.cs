namespace EdgeInfra.Engine.Config;

/// <summary>Encrypts and decrypts secret values for a stack (Pulumi's passphrase provider format, <c>v1:nonce:ct</c>).</summary>
public interface ISecretsManager
{
    /// <summary>The value Pulumi stores in <c>secrets_providers.state</c> (e.g. <c>{"salt":"v1:…"}</c> as JSON).</summary>
    string Type { get; }
    string StateJson { get; }
    string Encrypt(string plaintext);
    string Decrypt(string ciphertext);
}
