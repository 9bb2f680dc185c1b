using EdgeInfra.Engine.Config;
using EdgeInfra.StackInputs.Config;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Tests.Stacks.Config;

public sealed class HealthConfigReaderTests
{
    [Fact]
    public void Read_Unset_GivesTheFieldDefaults()
    {
        var health = HealthConfigReader.Read(null, new ConfigReader([]));

        Assert.Null(health.Prometheus);
        Assert.Equal(
            [("success-rate", 0.99, MetricComparison.AtLeast), ("error-rate", 0.01, MetricComparison.AtMost), ("latency-p99", 0.5, MetricComparison.AtMost)],
            health.Gates.Select(g => (g.Name, g.Threshold, g.Comparison)));
        Assert.All(health.Gates, g => Assert.Equal((MetricScope.Both, TimeSpan.FromMinutes(5), 100.0), (g.Scope, g.Window, g.MinRequests)));
    }

    [Fact]
    public void Read_StructuredAndRawGates_ParsesUnitsAndDefaults()
    {
        var problems = new List<string>();
        var health = HealthConfigReader.Read(Entry("""
            prometheus: http://prometheus.example.com:9090
            window: 2m
            minRequests: 20
            gates:
              - metric: success-rate
                threshold: 99.5%
                scope: ring
              - name: pos-p99
                metric: latency-p99
                threshold: 300ms
                app: pos-app
                window: 10m
              - name: checkout-5xx
                query: sum(rate(http_requests_total{ring="$ring",code="500"}[5m]))
                op: "<="
                threshold: 0.2
            """), new ConfigReader(problems));

        Assert.Empty(problems);
        Assert.Equal(new Uri("http://prometheus.example.com:9090"), health.Prometheus);
        var (success, p99, raw) = (health.Gates[0], health.Gates[1], health.Gates[2]);
        Assert.Equal(("success-rate", MetricKind.SuccessRate, 0.995, MetricScope.Ring, TimeSpan.FromMinutes(2), 20.0),
            (success.Name, success.Kind, success.Threshold, success.Scope, success.Window, success.MinRequests));
        Assert.Equal((0.3, "pos-app", TimeSpan.FromMinutes(10)), (p99.Threshold, p99.App, p99.Window));
        Assert.Equal((MetricKind.PromQl, MetricComparison.AtMost, 0.2), (raw.Kind, raw.Comparison, raw.Threshold));
        Assert.StartsWith("sum(rate(", raw.Query);
    }

    [Fact]
    public void Read_BadGates_ListsEveryProblemWithFileAndLine()
    {
        var problems = new List<string>();
        HealthConfigReader.Read(Entry("""
            prometheus: not a url
            gates:
              - metric: success-ratio
              - metric: error-rate
                threshold: 150%
              - name: raw
                query: up
              - metric: latency-p99
                scope: everywhere
                colour: blue
            """), new ConfigReader(problems));

        Assert.Contains(problems, p => p.Contains("Pulumi.test.yaml:1:", StringComparison.Ordinal) && p.Contains("must be an http(s) URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("unknown metric 'success-ratio'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("must be a ratio between 0 and 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("a promql gate needs 'op'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("a promql gate needs a 'threshold'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("a promql gate needs edge-infra:health.prometheus", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("scope 'everywhere'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("unknown field 'colour'", StringComparison.Ordinal) && p.Contains(":10:", StringComparison.Ordinal));
    }

    [Fact]
    public void HubRead_Kubeconfig_ResolvesAgainstTheProjectAndKeepsTheContext()
    {
        var problems = new List<string>();
        var hub = HubConfigReader.Read(new ConfigEntry("edge-infra:hub", Yaml("{kubeconfig: secrets/hub.kubeconfig, context: fleet-prod, timeout: 30s}"), false, "Pulumi.prod.yaml"),
            "/srv/fleet", new ConfigReader(problems));

        Assert.Empty(problems);
        Assert.Equal(("/srv/fleet/secrets/hub.kubeconfig", "fleet-prod", TimeSpan.FromSeconds(30), false), (hub.Kubeconfig, hub.Context, hub.RequestTimeout, hub.IsLab));
    }

    [Fact]
    public void HubRead_EmptyOrContextAlone_IsTheLabOrAProblem()
    {
        Assert.True(HubConfigReader.Read(new ConfigEntry("edge-infra:hub", Yaml("{}"), false, "Pulumi.lab.yaml"), "/p", new ConfigReader([])).IsLab);
        var problems = new List<string>();
        HubConfigReader.Read(new ConfigEntry("edge-infra:hub", Yaml("{context: prod}"), false, "Pulumi.lab.yaml"), "/p", new ConfigReader(problems));
        Assert.Contains(problems, p => p.Contains("a context needs a kubeconfig", StringComparison.Ordinal));
    }

    private static ConfigEntry Entry(string yaml) => new("edge-infra:health", Yaml(yaml), false, "Pulumi.test.yaml");

    private static YamlNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }
}
