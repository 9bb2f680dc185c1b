using EdgeInfra.Components.FleetSchema;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Components;

public sealed class ValidatedContentCacheTests
{
    private static readonly RenderedFile Valid = new("hub/clusters/s1.yaml",
        "apiVersion: fleet.cattle.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: s1\nspec:\n  paused: true\n");

    [Fact]
    public void Load_AfterAValidRunWasSaved_KnowsExactlyThatFileUnderTheSameSchemas()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "cache", "lab");
        var first = ValidatedContentCache.Load(path, FleetSchemaValidator.Fingerprint);
        Assert.Empty(FleetSchemaValidator.ValidateFile(Valid, first));
        first.Save();

        var again = ValidatedContentCache.Load(path, FleetSchemaValidator.Fingerprint);
        var otherSchemas = ValidatedContentCache.Load(path, "fleet-schema/1 other");

        Assert.True(again.Passed(Valid));
        Assert.False(again.Passed(Valid with { Content = Valid.Content + "  pause: true\n" }));
        Assert.False(again.Passed(Valid with { Path = "hub/clusters/s2.yaml" }));
        Assert.False(otherSchemas.Passed(Valid));
    }

    [Fact]
    public void ValidateFile_InvalidFile_IsNotCached()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "lab");
        var cache = ValidatedContentCache.Load(path, FleetSchemaValidator.Fingerprint);
        var invalid = Valid with { Content = Valid.Content.Replace("paused", "pause", StringComparison.Ordinal) };

        Assert.NotEmpty(FleetSchemaValidator.ValidateFile(invalid, cache));
        cache.Save();

        Assert.False(ValidatedContentCache.Load(path, FleetSchemaValidator.Fingerprint).Passed(invalid));
        Assert.NotEmpty(FleetSchemaValidator.ValidateFile(invalid, cache));
    }

    [Fact]
    public void Load_DamagedOrMissingFile_IsEmpty()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "lab");
        File.WriteAllText(path, "\0\0garbage");

        Assert.False(ValidatedContentCache.Load(path, FleetSchemaValidator.Fingerprint).Passed(Valid));
        Assert.False(ValidatedContentCache.Load(Path.Combine(dir.Path, "missing"), FleetSchemaValidator.Fingerprint).Passed(Valid));
    }
}
