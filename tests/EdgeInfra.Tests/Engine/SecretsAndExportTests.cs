using System.IO.Compression;
using System.Text;
using System.Text.Json;
using EdgeInfra.Engine;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Tests.Engine;

public sealed class SecretsAndExportTests
{
    private const string Plain = "hunter2-registry-password";

    private static DesiredStack WithSecret(string secret = Plain)
    {
        var spec = new StackSpec("dev");
        spec.Component("store", "store/s1");
        spec.File("registries", secret, parent: spec.UrnOf("store", "test:index:Store"), secret: true);
        spec.File("plain", "visible");
        return spec.Build();
    }

    [Fact]
    public async Task Backend_SecretInputs_NeverReachTheDiskInPlaintext()
    {
        using var f = new EngineFixture(new FakeSecrets());
        f.Provider.FailComplete = true;
        await f.Engine.UpAsync(WithSecret());                 // leaves pending ops with the secret in the checkpoint
        f.Provider.FailComplete = false;
        await f.Engine.UpAsync(WithSecret());
        await f.Engine.RefreshAsync("dev");
        await f.Engine.UpAsync(WithSecret(Plain + "-rotated"));
        await File.WriteAllTextAsync(Path.Combine(f.Root, "export.json"), await f.Backend.ExportAsync("dev"));

        var leaks = Directory.GetFiles(f.Root, "*", SearchOption.AllDirectories).Where(file => Read(file).Contains(Plain)).ToList();

        Assert.Empty(leaks);
        var state = await f.Backend.LoadAsync("dev");
        var registries = state.Resources.Single(r => r.Urn.Name == "registries");
        Assert.Equal(Plain + "-rotated", registries.Inputs["content"]);
        Assert.Contains("content", registries.SecretInputs);
    }

    private static string Read(string file)
    {
        if (!file.EndsWith(".gz", StringComparison.Ordinal)) return File.ReadAllText(file);
        using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task UpAndPreview_SecretInputsWithoutSecretsManager_FailNamingThePassphraseVariable()
    {
        using var f = new EngineFixture();

        var up = await Assert.ThrowsAsync<InputException>(() => f.Engine.UpAsync(WithSecret()));
        var preview = await Assert.ThrowsAsync<InputException>(() => f.Engine.PreviewAsync(WithSecret()));

        Assert.Contains("EDGEINFRA_CONFIG_PASSPHRASE", up.Message);
        Assert.Contains("EDGEINFRA_CONFIG_PASSPHRASE", preview.Message);
        Assert.DoesNotContain(Plain, up.Message);
        Assert.Empty(f.Provider.Calls);
    }

    [Fact]
    public async Task LoadAsync_AfterAnUpInThisProcess_EqualsAFreshReadOfTheCheckpoint()
    {
        using var f = new EngineFixture(new FakeSecrets());
        f.Provider.FailComplete = true;
        await f.Engine.UpAsync(WithSecret());                 // pending operations in the checkpoint
        f.Provider.FailComplete = false;
        await f.Engine.UpAsync(WithSecret(Plain + "-rotated"));

        // The backend keeps what it wrote instead of reading it back: it must be what a reader of the file gets.
        var kept = await f.Backend.ExportAsync("dev");
        var fresh = await new FileStateBackend(f.Root, EngineFixture.Project, f.Time, f.Secrets).ExportAsync("dev");

        Assert.Equal(fresh, kept);
        Assert.Contains("registries", kept);
    }

    [Fact]
    public async Task ExportAsync_ProducesAPulumiUntypedDeploymentV3()
    {
        using var f = new EngineFixture(new FakeSecrets());
        await f.Engine.UpAsync(WithSecret());

        using var doc = JsonDocument.Parse(await f.Backend.ExportAsync("dev"));

        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("version").GetInt32());
        var d = root.GetProperty("deployment");
        var manifest = d.GetProperty("manifest");
        var version = manifest.GetProperty("version").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(version))),
            manifest.GetProperty("magic").GetString());
        Assert.Equal("passphrase", d.GetProperty("secrets_providers").GetProperty("type").GetString());
        Assert.Equal("v1:fake", d.GetProperty("secrets_providers").GetProperty("state").GetProperty("salt").GetString());
        Assert.Equal(0, d.GetProperty("pending_operations").GetArrayLength());

        var resources = d.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal("pulumi:pulumi:Stack", resources[0].GetProperty("type").GetString());
        Assert.Equal("urn:pulumi:dev::edge-infra::pulumi:pulumi:Stack::edge-infra-dev", resources[0].GetProperty("urn").GetString());
        Assert.Equal("3", resources[0].GetProperty("outputs").GetProperty("count").GetString());
        var provider = resources.Single(r => r.GetProperty("type").GetString() == "pulumi:providers:fake");
        var providerRef = $"{provider.GetProperty("urn").GetString()}::{provider.GetProperty("id").GetString()}";

        var seen = new HashSet<string>();
        foreach (var r in resources)
        {
            if (r.TryGetProperty("parent", out var parent)) Assert.Contains(parent.GetString()!, seen);
            seen.Add(r.GetProperty("urn").GetString()!);
            if (r.GetProperty("custom").GetBoolean() && r.GetProperty("type").GetString() == "test:index:File")
                Assert.Equal(providerRef, r.GetProperty("provider").GetString());
        }
        var secret = resources.Single(r => r.GetProperty("urn").GetString()!.EndsWith("::registries", StringComparison.Ordinal))
            .GetProperty("inputs").GetProperty("content");
        Assert.Equal("1b47061264138c4ac30d75fd1eb44270", secret.GetProperty("4dabf18193072939515e22adb298388d").GetString());
        Assert.Equal($"\"{Plain}\"", new FakeSecrets().Decrypt(secret.GetProperty("ciphertext").GetString()!));
    }
}
