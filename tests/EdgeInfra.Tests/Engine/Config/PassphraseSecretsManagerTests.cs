using System.Text.RegularExpressions;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.Tests.Engine.Config;

public sealed class PassphraseSecretsManagerTests
{
    // From Pulumi's own pkg/secrets/passphrase/manager_test.go: this state was made by the Go CLI with passphrase "password".
    private const string PulumiState = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";

    [Fact]
    public void Decrypt_PulumiTestVectorWithRealIterationCount_AcceptsPassphraseAndRoundTrips()
    {
        var manager = new PassphraseSecretsManager(PulumiState, new FixedPassphrase("password"), "dev");

        var ciphertext = manager.Encrypt("hunter2");

        Assert.Equal("hunter2", manager.Decrypt(ciphertext));
        Assert.True(manager.KeyDerived);
        Assert.Equal(1_000_000, PassphraseSecretsManager.Iterations);
    }

    [Fact]
    public void Decrypt_WrongPassphrase_FailsNamingTheStack()
    {
        var created = PassphraseSecretsManager.Create(new FixedPassphrase("right"), "prod", ConfigTestProject.FastIterations);
        var ciphertext = created.Encrypt("s3cret");
        var wrong = new PassphraseSecretsManager(created.EncryptionSalt, new FixedPassphrase("wrong"), "prod", ConfigTestProject.FastIterations);

        var e = Assert.Throws<ConfigException>(() => wrong.Decrypt(ciphertext));

        Assert.StartsWith("incorrect passphrase for stack 'prod': set TEST_PASSPHRASE", e.Message);
        Assert.DoesNotContain("s3cret", e.Message);
    }

    [Fact]
    public void Encrypt_Output_HasPulumiV1Format()
    {
        var manager = PassphraseSecretsManager.Create(new FixedPassphrase("p"), "lab", ConfigTestProject.FastIterations);

        var ciphertext = manager.Encrypt("hello");

        var m = Regex.Match(ciphertext, "^v1:([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$");
        Assert.True(m.Success, ciphertext);
        Assert.Equal(12, Convert.FromBase64String(m.Groups[1].Value).Length);
        Assert.Equal("hello".Length + 16, Convert.FromBase64String(m.Groups[2].Value).Length);
        Assert.NotEqual(ciphertext, manager.Encrypt("hello"));
    }

    [Fact]
    public void Create_EncryptionSalt_HasPulumiStateFormat()
    {
        var manager = PassphraseSecretsManager.Create(new FixedPassphrase("p"), "lab", ConfigTestProject.FastIterations);

        var parts = manager.EncryptionSalt.Split(':');

        Assert.Equal(5, parts.Length);
        Assert.Equal("v1", parts[0]);
        Assert.Equal(8, Convert.FromBase64String(parts[1]).Length);
        Assert.Equal("v1", parts[2]);
        Assert.Equal(12, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal("pulumi".Length + 16, Convert.FromBase64String(parts[4]).Length);
        Assert.Equal("passphrase", manager.Type);
    }

    [Fact]
    public void StateJson_IsPulumiSaltObject_AndRoundTrips()
    {
        var manager = new PassphraseSecretsManager(PulumiState, new ForbiddenPassphrase(), "dev");

        Assert.Equal("{\"salt\":\"" + PulumiState + "\"}", manager.StateJson);
        Assert.Equal(PulumiState, PassphraseSecretsManager.FromStateJson(manager.StateJson, new ForbiddenPassphrase(), "dev").EncryptionSalt);
        Assert.Throws<ConfigException>(() => PassphraseSecretsManager.FromStateJson("{}", new ForbiddenPassphrase(), "dev"));
    }

    [Fact]
    public void Constructor_ExistingState_DoesNotAskForPassphraseOrDeriveKey()
    {
        var manager = new PassphraseSecretsManager(PulumiState, new ForbiddenPassphrase(), "dev");
        Assert.False(manager.KeyDerived);
    }

    [Fact]
    public void Decrypt_NoPassphrase_ExplainsHowToSetIt()
    {
        var manager = new PassphraseSecretsManager(PulumiState, new NoPassphrase(), "prod");
        var e = Assert.Throws<ConfigException>(() => manager.Decrypt("v1:AAAA:AAAA"));
        Assert.Equal("stack 'prod' uses secrets and no passphrase is available: set EDGEINFRA_CONFIG_PASSPHRASE", e.Message);
    }

    [Theory]
    [InlineData("not-a-salt")]
    [InlineData("v2:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMF")]
    [InlineData("v1:!!!:v1:F+6ZduKKd8G0/V7L:PGMF")]
    public void Constructor_MalformedState_IsRejected(string state)
    {
        var e = Assert.Throws<ConfigException>(() => new PassphraseSecretsManager(state, new ForbiddenPassphrase(), "prod"));
        Assert.Contains("malformed encryptionsalt", e.Message);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Decrypt_TamperedCiphertext_FailsWithoutDetail(string ciphertext)
    {
        var manager = PassphraseSecretsManager.Create(new FixedPassphrase("p"), "prod", ConfigTestProject.FastIterations);
        var e = Assert.Throws<ConfigException>(() => manager.Decrypt(ciphertext));
        Assert.StartsWith("stack 'prod': a secret value could not be decrypted", e.Message);
    }
}
