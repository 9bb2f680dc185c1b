namespace EdgeInfra.Tests.Cli.BadInput;

/// <summary>One test per class of bad input the fuzzer of issue 9 found: each is refused with exit 2, naming the file
/// and line, before anything is written.</summary>
public sealed class BadInputTests : IDisposable
{
    private const string AliasBomb = """
        values:
                a: &a [x, x, x, x, x, x, x, x, x]
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
                d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
                f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
        """;

    private readonly SmallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    private async Task<CliRun> RefusedPreview(params string[] expected)
    {
        var before = _lab.State();
        var run = await _lab.Preview();
        Assert.True(run.ExitCode == 2, run.ToString());
        foreach (var e in expected) Assert.True(run.Error.Contains(e, StringComparison.Ordinal), $"expected '{e}' in:\n{run}");
        Assert.DoesNotContain("Exception", run.Error);
        Assert.DoesNotContain(_lab.Dir, run.Error);
        Assert.Equal(before, _lab.State());
        return run;
    }

    [Theory]
    [InlineData("2.4.1 beta", "must be a SemVer version")]
    [InlineData("\"2.4.1\\nEdge-Actor: mallory\"", "a newline (U+000A)")]
    [InlineData("2.4.1+build.5", "must be a SemVer version")]
    [InlineData("\"2.4.1\u200B\"", "invisible format character")]
    [InlineData("latest", "must be a SemVer version")]
    public async Task Preview_ReleaseVersionNotSemVer_RefusedAtItsLine(string version, string message)
    {
        _lab.Edit(SmallLab.StackFileName, s => s.Replace("      version: 2.4.1", $"      version: {version}"));

        await RefusedPreview($"{SmallLab.StackFileName}:48:", message);
    }

    [Fact]
    public async Task Preview_MegabyteVersion_RefusedWithoutParsingIt()
    {
        _lab.Edit(SmallLab.StackFileName, s => s.Replace("      version: 2.4.1", $"      version: 2.4.1-{new string('a', 1 << 20)}"));

        await RefusedPreview($"{SmallLab.StackFileName}:48:", "longer than the 65,536 allowed");
    }

    [Theory]
    [InlineData("hardware-class: edge-medium", "hardware-class: \"edge-medium\\n\"")]
    [InlineData("hardware-class: edge-medium", "hardware-class: \"edge-medium\\t\"")]
    [InlineData("store-format: supermarket", "store-format: \"super\\u200Bmarket\"")]
    [InlineData("region: central-europe", "region: \"central-europe\\r\"")]
    public async Task Preview_LabelValueWithHiddenCharacter_RefusedAtTheStore(string label, string damaged)
    {
        _lab.Edit(SmallLab.InventoryName, s => s.Replace(label, damaged));

        await RefusedPreview($"{SmallLab.InventoryName}:5:", "is not a valid Kubernetes label value");
    }

    [Theory]
    [InlineData(SmallLab.InventoryName, "  - id: store-prague\n", "  - id: store-prague\n    id: store-budapest\n", 19)]
    [InlineData(SmallLab.InventoryName, "      region: central-europe\n", "      region: central-europe\n      region: western-europe\n", 9)]
    [InlineData(SmallLab.StackFileName, "        logLevel: info\n", "        logLevel: info\n        logLevel: debug\n", 56)]
    [InlineData(SmallLab.StackFileName, "  edge-infra:registryZones:\n", "  edge-infra:rings: []\n  edge-infra:registryZones:\n", 22)]
    [InlineData(SmallLab.ProjectFileName, "runtime: dotnet\n", "runtime: dotnet\nruntime: nodejs\n", 3)]
    public async Task Preview_DuplicateMappingKey_RefusedAtTheSecondKey(string file, string original, string damaged, int line)
    {
        _lab.Edit(file, s => s.Replace(original, damaged));

        await RefusedPreview($"{file}:{line}:", "duplicate key");
    }

    [Theory]
    [InlineData("        replicas: 1\n", "        loop: &loop [*loop]\n        replicas: 1\n", "refers to the node that contains it")]
    [InlineData("        replicas: 1\n", "        loop: &loop {self: *loop}\n        replicas: 1\n", "refers to the node that contains it")]
    [InlineData("      values:\n        replicas: 1\n", AliasBomb + "\n        replicas: 1\n", "aliases expand to more than")]
    [InlineData("        replicas: 1\n", "        a: &a [x]\n        b: &b [*a]\n        c: &c [*b]\n        d: &d [*c]\n        e: &e [*d]\n        f: [*e]\n        replicas: 1\n", "nests aliases 5 deep")]
    public async Task Preview_AliasCycleOrBomb_RefusedQuickly(string original, string damaged, string message)
    {
        _lab.Edit(SmallLab.StackFileName, s => s.Replace(original, damaged));

        await RefusedPreview($"{SmallLab.StackFileName}:", message);
    }

    [Fact]
    public async Task Preview_AliasBombInOverrideValues_Refused()
    {
        _lab.Edit(SmallLab.StackFileName, s => s.Replace("        logLevel: debug\n", AliasBomb.Replace("values:\n", "").Replace("                ", "        ") + "\n"));

        await RefusedPreview($"{SmallLab.StackFileName}:", "aliases expand to more than");
    }

    [Theory]
    [InlineData(SmallLab.InventoryName, "site-id: hu-bud-01", "site-id: [hu-bud-01", 7)]
    [InlineData(SmallLab.InventoryName, "      site-id: hu-bud-01", "\t    site-id: hu-bud-01", 7)]
    [InlineData(SmallLab.InventoryName, "      region: central-europe", "      region: {central-europe", 8)]
    [InlineData(SmallLab.StackFileName, "    pos-app:\n", "    pos-app: [\n", 48)]
    public async Task Preview_SyntaxError_KeepsItsFileAndLine(string file, string original, string damaged, int line)
    {
        _lab.Edit(file, s => s.Replace(original, damaged));

        var run = await RefusedPreview($"{file}:");
        var reported = System.Text.RegularExpressions.Regex.Match(run.Error, System.Text.RegularExpressions.Regex.Escape(file) + @":(\d+):");
        Assert.InRange(int.Parse(reported.Groups[1].Value), line - 1, line + 1);
    }

    [Theory]
    [InlineData("Europe..Budapest")]
    [InlineData("posixrules")]
    [InlineData("right.Europe.Budapest")]
    [InlineData("posix.Europe.Budapest")]
    [InlineData("Europe.Atlantis")]
    [InlineData("localtime")]
    public async Task Preview_TimezoneNotAnIanaZone_Refused(string zone)
    {
        _lab.Edit(SmallLab.InventoryName, s => s.Replace("timezone: Europe.Budapest", $"timezone: {zone}"));

        await RefusedPreview($"{SmallLab.InventoryName}:5:", $"timezone '{zone}' is not an IANA time zone");
    }

    [Fact]
    public async Task Up_InventoryEmptied_RefusesTheMassDeleteNamingTheFlag()
    {
        Assert.Equal(0, (await _lab.UpAll()).ExitCode);
        var before = _lab.State();
        _lab.Write(SmallLab.InventoryName, "stores: []\n");
        _lab.Edit(SmallLab.StackFileName, s => s[..s.IndexOf("  edge-infra:overrides:", StringComparison.Ordinal)] + "  edge-infra:overrides: []\n" +
            s[s.IndexOf("  # The Fleet simulator", StringComparison.Ordinal)..]);

        var run = await _lab.UpAll();

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("would delete 20 of the fleet's 20 stores", run.Error);
        Assert.Contains("--allow-mass-delete", run.Error);
        Assert.Equal(before, _lab.State());
    }

    [Fact]
    public async Task Up_MassDeleteWithTheFlag_DeletesTheClusters()
    {
        Assert.Equal(0, (await _lab.UpAll()).ExitCode);
        _lab.Edit(SmallLab.InventoryName, s => s[..s.IndexOf("  - id: store-us-0001", StringComparison.Ordinal)]);

        var refused = await _lab.UpAll();
        var run = await _lab.UpAll("--allow-mass-delete");

        Assert.Equal(2, refused.ExitCode);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, _lab.FleetRepoFiles().Keys.Count(k => k.StartsWith("hub/clusters/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Up_DeleteWithinTheConfiguredShare_GoesThrough()
    {
        Assert.Equal(0, (await _lab.UpAll()).ExitCode);
        // One store of twenty is 5 %: under the default 10 %.
        var text = _lab.Read(SmallLab.InventoryName);
        var last = text.LastIndexOf("  - id: ", StringComparison.Ordinal);
        _lab.Write(SmallLab.InventoryName, text[..last]);

        var run = await _lab.UpAll();

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Up_MaxDeletePercentLowered_RefusesEvenOneStore()
    {
        Assert.Equal(0, (await _lab.UpAll()).ExitCode);
        _lab.Edit(SmallLab.StackFileName, s => s.Replace("config:\n", "config:\n  edge-infra:maxDeletePercent: 1\n"));
        var text = _lab.Read(SmallLab.InventoryName);
        _lab.Write(SmallLab.InventoryName, text[..text.LastIndexOf("  - id: ", StringComparison.Ordinal)]);

        var run = await _lab.UpAll();

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("(1 %)", run.Error);
    }

    [Theory]
    [InlineData(SmallLab.StackFileName, "    pos-app:\n", "    pos-app: [\n")]
    [InlineData(SmallLab.StackFileName, "  edge-infra:rings:\n", "  edge-infra:rings: {\n")]
    [InlineData(SmallLab.ProjectFileName, "name: edge-infra\n", "name: [edge-infra\n")]
    [InlineData(SmallLab.StackFileName, "      version: 2.4.1\n", "      version: 2.4.1\n      version: 2.4.2\n")]
    public async Task Preview_YamlErrorInProjectOrStackFile_NamesItRelativeToTheProject(string file, string original, string damaged)
    {
        _lab.Edit(file, s => s.Replace(original, damaged));

        var run = await RefusedPreview();

        Assert.StartsWith($"  - {file}:", run.Error.Split('\n')[1]);
    }

    [Theory]
    [InlineData("stacks/apps/store-baseline", "../../../../../etc")]
    [InlineData("stacks/apps/store-baseline", "/etc")]
    [InlineData("stacks/apps/store-baseline", "stacks/../../outside")]
    public async Task Preview_ManifestsDirOutsideTheProject_Refused(string original, string damaged)
    {
        _lab.Edit(SmallLab.StackFileName, s => s.Replace($"manifests: {original}", $"manifests: {damaged}"));

        await RefusedPreview($"{SmallLab.StackFileName}:", "must be a relative path inside the project");
    }

    [Theory]
    [InlineData("      namespace: pos\n", "      namespace: \"pos; rm -rf /\"\n", "namespace")]
    [InlineData("          selector:\n", "      overlays:\n        ../escape:\n          selector:\n", "overlay name")]
    [InlineData("    - name: pos-budapest-debug\n", "    - name: \"pos-budapest-debug\\u202E\"\n", "invisible format character")]
    [InlineData("      owner: alice@example.com\n", "      owner: \"alice@example.com\\nEdge-Actor: mallory\"\n", "a newline")]
    [InlineData("      mirror: https://mirror-eu-central.lab.edgeinfra.local:5000\n", "      mirror: \"https://x$(touch /tmp/pwned)\\u0000\"\n", "a control character")]
    [InlineData("      image: registry.example.com/edge/pos-app\n", "      image: \"registry.example.com/edge/pos-app$(id)\"\n", "must be an image repository")]
    [InlineData("      repo: https://charts.example.com/edge\n", "      repo: file:///etc\n", "must be an http(s) or oci:// URL")]
    [InlineData("      chart: pos-app\n", "      chart: \"pos-app; id\"\n", "must be a chart name")]
    [InlineData("        logLevel: debug\n", "        logLevel: debug\n        limit: 1e309\n", "'1e309' is out of range for a number")]
    [InlineData("        replicas: 1\n", "        replicas: [1, -1e400]\n", "'-1e400' is out of range for a number")]
    public async Task Preview_HostileValueWhereItEnters_Refused(string original, string damaged, string message)
    {
        _lab.Edit(SmallLab.StackFileName, s => original.StartsWith("          selector", StringComparison.Ordinal)
            ? s.Replace("      overlays:\n        constrained-network:\n          selector:\n", damaged)
            : s.Replace(original, damaged));

        await RefusedPreview($"{SmallLab.StackFileName}:", message);
    }

    [Fact]
    public async Task Preview_RefusedAfterAGoodRun_LeavesTheParseCacheAsItWas()
    {
        Assert.Equal(0, (await _lab.Preview()).ExitCode);
        var cached = _lab.State();
        Assert.Contains(cached.Keys, k => k.StartsWith("cache", StringComparison.Ordinal));
        // Parses cleanly, so the reader would cache it, but a timezone no store can be in refuses the run.
        _lab.Edit(SmallLab.InventoryName, s => s.Replace("timezone: Europe.Budapest", "timezone: posixrules"));

        await RefusedPreview("posixrules");

        Assert.Equal(cached, _lab.State());
    }
}
