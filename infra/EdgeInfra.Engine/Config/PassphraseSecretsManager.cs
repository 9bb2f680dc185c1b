using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeInfra.Engine.Config;

/// <summary>Pulumi's passphrase secrets provider: AES-256-GCM under a PBKDF2-HMAC-SHA256 key, in Pulumi's exact formats.</summary>
/// <remarks>
/// <para>State is <c>encryptionsalt: v1:&lt;b64 salt&gt;:v1:&lt;b64 nonce&gt;:&lt;b64 ct&gt;</c>; the trailing part is the
/// encryption of <c>"pulumi"</c>, which verifies the passphrase. Values are <c>v1:&lt;b64 nonce&gt;:&lt;b64 ct||tag&gt;</c>,
/// the layout of Go's <c>gcm.Seal</c>.</para>
/// <para>Deriving the key takes a million PBKDF2 rounds, so it happens on the first encrypt or decrypt, never on
/// construction, and derived keys are cached per process (ring stacks share one stack file).</para>
/// </remarks>
public sealed class PassphraseSecretsManager : ISecretsManager
{
    /// <summary>Pulumi's PBKDF2 iteration count; production code always uses it.</summary>
    public const int Iterations = 1_000_000;

    private const int KeyBytes = 32, SaltBytes = 8, NonceBytes = 12, TagBytes = 16;
    private static readonly ConcurrentDictionary<string, byte[]> KeyCache = new(StringComparer.Ordinal);

    private readonly IPassphraseSource _source;
    private readonly string _stack;
    private readonly int _iterations;
    private readonly byte[] _salt;
    private readonly Lazy<byte[]> _key;

    public PassphraseSecretsManager(string encryptionSalt, IPassphraseSource source, string stack)
        : this(encryptionSalt, source, stack, Iterations) { }

    internal PassphraseSecretsManager(string encryptionSalt, IPassphraseSource source, string stack, int iterations)
    {
        _source = source;
        _stack = stack;
        _iterations = iterations;
        EncryptionSalt = encryptionSalt;
        _salt = ParseSalt(encryptionSalt, stack);
        _key = new Lazy<byte[]>(DeriveAndVerify, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Type => "passphrase";

    /// <summary>The stack file's <c>encryptionsalt</c> value.</summary>
    public string EncryptionSalt { get; }

    // Relaxed escaping keeps '+' literal, byte-for-byte what Go's json.Marshal writes.
    public string StateJson => JsonSerializer.Serialize(
        new Dictionary<string, string> { ["salt"] = EncryptionSalt },
        new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>True once the key has been derived (tests use it to prove a stack without secrets never pays for it).</summary>
    internal bool KeyDerived => _key.IsValueCreated;

    /// <summary>Starts a new passphrase state for a stack: a fresh salt and the encrypted check word.</summary>
    public static PassphraseSecretsManager Create(IPassphraseSource source, string stack) => Create(source, stack, Iterations);

    internal static PassphraseSecretsManager Create(IPassphraseSource source, string stack, int iterations)
    {
        var phrase = RequirePassphrase(source, stack);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Derive(phrase, salt, iterations);
        var state = $"v1:{Convert.ToBase64String(salt)}:{Seal(key, "pulumi")}";
        KeyCache[CacheKey(state, phrase, iterations)] = key;
        return new PassphraseSecretsManager(state, source, stack, iterations);
    }

    /// <summary>Rebuilds a manager from <c>secrets_providers.state</c> JSON (<c>{"salt":"v1:…"}</c>).</summary>
    public static PassphraseSecretsManager FromStateJson(string stateJson, IPassphraseSource source, string stack)
    {
        string? salt = null;
        try
        {
            using var doc = JsonDocument.Parse(stateJson);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("salt", out var s)
                && s.ValueKind == JsonValueKind.String)
                salt = s.GetString();
        }
        catch (JsonException) { }
        return salt is null
            ? throw new ConfigException($"stack '{stack}': passphrase secrets provider state must be {{\"salt\":\"v1:…\"}}")
            : new PassphraseSecretsManager(salt, source, stack);
    }

    public string Encrypt(string plaintext) => Seal(_key.Value, plaintext);

    public string Decrypt(string ciphertext) =>
        Open(_key.Value, ciphertext) ?? throw new ConfigException(
            $"stack '{_stack}': a secret value could not be decrypted (malformed, or encrypted with another passphrase)");

    private byte[] DeriveAndVerify()
    {
        var phrase = RequirePassphrase(_source, _stack);
        var cacheKey = CacheKey(EncryptionSalt, phrase, _iterations);
        if (KeyCache.TryGetValue(cacheKey, out var cached)) return cached;
        var key = Derive(phrase, _salt, _iterations);
        var check = EncryptionSalt[(EncryptionSalt.IndexOf(':', 3) + 1)..];
        if (Open(key, check) != "pulumi")
            throw new ConfigException($"incorrect passphrase for stack '{_stack}': {_source.Hint} to the passphrase its secrets were encrypted with");
        KeyCache[cacheKey] = key;
        return key;
    }

    private static string RequirePassphrase(IPassphraseSource source, string stack) =>
        source.GetPassphrase() ?? throw new ConfigException($"stack '{stack}' uses secrets and no passphrase is available: {source.Hint}");

    private static byte[] Derive(string phrase, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(phrase), salt, iterations, HashAlgorithmName.SHA256, KeyBytes);

    private static string CacheKey(string state, string phrase, int iterations) =>
        $"{iterations}|{state}|{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(phrase)))}";

    private static byte[] ParseSalt(string state, string stack)
    {
        var parts = state.Split(':', 3);
        if (parts.Length == 3 && parts[0] == "v1" && TryBase64(parts[1], out var salt) && parts[2].Split(':').Length == 3)
            return salt;
        throw new ConfigException($"stack '{stack}': malformed encryptionsalt (expected v1:<salt>:v1:<nonce>:<ciphertext>)");
    }

    private static string Seal(byte[] key, string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[plain.Length + TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length));
        return $"v1:{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(sealedBytes)}";
    }

    private static string? Open(byte[] key, string value)
    {
        var parts = value.Split(':');
        if (parts.Length != 3 || parts[0] != "v1" || !TryBase64(parts[1], out var nonce) || !TryBase64(parts[2], out var sealedBytes)
            || nonce.Length != NonceBytes || sealedBytes.Length < TagBytes)
            return null;
        var plain = new byte[sealedBytes.Length - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain);
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
