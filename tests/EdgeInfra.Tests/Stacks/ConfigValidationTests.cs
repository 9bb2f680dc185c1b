using EdgeInfra.Components.Model;
using EdgeInfra.StackInputs;

namespace EdgeInfra.Tests.Stacks;

/// <summary>Bad stack config is reported all at once with Pulumi.&lt;stack&gt;.yaml:line and the key path.</summary>
public sealed class ConfigValidationTests
{
    private const string StackFile = "Pulumi.test.yaml";

    private static int LineOf(string yaml, string marker)
    {
        var index = yaml.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0, $"marker '{marker}' not in the YAML");
        return yaml[..index].Count(c => c == '\n') + 1;
    }

    private const string BadStack = """
        config:
          edge-infra:fleet:
            repoUrl: https://git.example.com/edge/fleet.git
            pollingInterval: 1d
          edge-infra:rings:
            - name: canary
              percent: 20
              bake: soon
            - name: early
              percent: 5
              maxUnavailable: 0
              colour: blue
            - name: late
              percent: ten
            - name: all
          edge-infra:registryZones:
            eu:
              mirror: ftp://mirror
              upstreams: []
          edge-infra:apps:
            pos-app:
              kind: chart
              version: 2.4.1
            web:
              kind: helm
              version: 1.0.0
            baseline:
              kind: manifests
              version: 1.0.0
              manifests: stacks/apps/nowhere
              changeClass: sometimes
          edge-infra:overrides:
            - name: no-owner
              app: web
              scope: baseline
              values: {replicas: 2}
            - name: ghost-app
              app: signage
              scope: region
              match: central
              owner: carol@example.com
            - name: old-one
              app: web
              scope: site
              match: store-a
              owner: dave@example.com
              expires: 2026-11-30
            - name: bad-date
              app: web
              scope: galaxy
              owner: erin@example.com
              expires: next week
            - name: nowhere-region
              app: web
              scope: region
              match: atlantis
              owner: frank@example.com
        """;

    public static TheoryData<string, string> Problems => new()
    {
        { "pollingInterval: 1d", "pollingInterval '1d' must be a Go duration" },
        { "percent: ten", "edge-infra:rings[2].percent: 'ten' is not a number" },
        { "bake: soon", "edge-infra:rings[0].bake: 'soon' is not a duration" },
        { "percent: 5", "edge-infra:rings[1].percent: ring 'early' percent 5 must be above the previous ring's" },
        { "- name: early", "ring 'early' maxUnavailable is integer 0, which deadlocks Fleet updates" },
        { "colour: blue", "edge-infra:rings[1].colour: unknown field 'colour'" },
        { "mirror: ftp://mirror", "registry zone 'eu' mirror 'ftp://mirror' must be an http(s) URL" },
        { "    eu:", "registry zone 'eu' needs at least one upstream registry" },
        { "kind: chart", "app 'pos-app' kind 'chart' must be helm or manifests" },
        { "    web:", "helm app 'web' needs 'chart'" },
        { "manifests: stacks/apps/nowhere", "app 'baseline' manifests: directory" },
        { "changeClass: sometimes", "changeClass 'sometimes' must be immediate, next-window or hold-for-review" },
        { "- name: no-owner", "override 'no-owner' needs an 'owner'" },
        { "- name: ghost-app", "override 'ghost-app' (owner carol@example.com) names unknown app 'signage'" },
        { "- name: old-one", "override 'old-one' (owner dave@example.com) for app 'web' expired on 2026-11-30; renew or remove it" },
        { "scope: galaxy", "override 'bad-date' scope 'galaxy' must be baseline, region or site" },
        { "expires: next week", "'next week' is not a date (use YYYY-MM-DD)" },
        { "- name: nowhere-region", "region override 'nowhere-region' (owner frank@example.com) matches region 'atlantis', which no store has" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Load_BadConfig_ReportsProblemAtItsLine(string marker, string message)
    {
        using var project = new TempProject(BadStack);
        var problems = project.Problems();
        var line = LineOf(BadStack, marker);
        Assert.True(problems.Any(p => p.StartsWith($"{StackFile}:{line}: ", StringComparison.Ordinal) && p.Contains(message, StringComparison.Ordinal)),
            $"expected at {StackFile}:{line}: {message}\ngot:\n  {string.Join("\n  ", problems)}");
    }

    [Fact]
    public void Load_BadConfigAndBadInventory_ReportsBothAtOnce()
    {
        using var project = new TempProject(BadStack, "stores:\n" + TempProject.StoreYaml("store-a", zone: "apac"));
        var problems = project.Problems();
        Assert.True(problems.Count > 10, string.Join("\n", problems));
        Assert.Contains(problems, p => p.StartsWith("stacks/test/stores.yaml:2: store 'store-a' registry-zone 'apac'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ExpiredOverride_ErrorNamesItAndItsOwner()
    {
        var stack = TempProject.ValidStack + """

              edge-infra:overrides:
                - name: pos-black-friday
                  app: pos-app
                  scope: baseline
                  values: {replicas: 4}
                  owner: ops@example.com
                  expires: 2026-11-30
            """;
        using var project = new TempProject(stack);
        var problem = Assert.Single(project.Problems());
        Assert.Equal($"{StackFile}:{LineOf(stack, "- name: pos-black-friday")}: override 'pos-black-friday' (owner ops@example.com) for app 'pos-app' expired on 2026-11-30; renew or remove it", problem);
    }

    [Fact]
    public void Load_OverrideExpiringToday_IsStillValid()
    {
        var stack = TempProject.ValidStack + """

              edge-infra:overrides:
                - name: pos-today
                  app: pos-app
                  scope: site
                  match: store-a
                  values: {replicas: 4}
                  owner: ops@example.com
                  expires: 2026-12-01
            """;
        using var project = new TempProject(stack);
        var o = Assert.Single(project.Load().Model.Overrides);
        Assert.Equal(OverrideScope.Site, o.Scope);
        Assert.Equal(new DateOnly(2026, 12, 1), o.Expires);
    }

    [Fact]
    public void Load_NoRings_IsAProblem()
    {
        using var project = new TempProject("config:\n  edge-infra:fleet:\n    repoUrl: https://git.example.com/f.git\n");
        Assert.Contains(project.Problems(), p => p.Contains("missing configuration value 'edge-infra:rings'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_LocalFleetRepoWithoutHubUrl_AsksForRepoUrl()
    {
        using var project = new TempProject(TempProject.ValidStack.Replace("    repoUrl: https://git.example.com/edge/fleet.git\n", "    branch: main\n"));
        Assert.Contains(project.Problems(), p => p.Contains("edge-infra:fleet.repoUrl: is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ValidStack_ReadsTypedValuesAndDefaults()
    {
        using var project = new TempProject();
        var loaded = project.Load();
        var model = loaded.Model;
        Assert.Equal(new FleetSettings("fleet-default", "https://git.example.com/edge/fleet.git", "main", "1m", "v1.34.2+k3s1"), model.Settings);
        Assert.Equal(new FleetRepoTarget(Path.Combine(project.Dir, ".edgeinfra", "fleet.git"), "main"), loaded.Repo);
        var canary = model.Rings[0];
        Assert.Equal(("canary", 0, 10.0, "1", TimeSpan.FromMinutes(30)), (canary.Name, canary.Order, canary.Percent!.Value, canary.MaxUnavailable, canary.Bake));
        Assert.Equal(("10%", "25%", 0), (model.Rings[1].MaxUnavailable, model.Rings[1].AutoPartitionSize, model.Rings[1].MaxUnavailablePartitions));
        var pos = Assert.Single(model.Apps);
        Assert.Equal((AppKind.Helm, "2.4.1", "pos-app", ChangeClass.NextWindow), (pos.Kind, pos.Version, pos.Namespace, pos.ChangeClass));
        Assert.Equal(new HelmChartSpec("pos-app", null, "2.4.1"), pos.Helm);
        Assert.Equal(new SourceLocation(StackFile, LineOf(TempProject.ValidStack, "    pos-app:")), pos.Location);
    }

    /// <summary>A release bump is <c>config set --path apps.pos-app.version</c>: the version sits at exactly that path.</summary>
    [Fact]
    public void Load_VersionAtAppsPath_IsTheRelease()
    {
        using var project = new TempProject(TempProject.ValidStack.Replace("version: 2.4.1", "version: 9.9.9"));
        Assert.Equal("9.9.9", project.Load().Model.Apps.Single(a => a.Name == "pos-app").Version);
    }
}
