using EdgeInfra.Engine.Yaml;
using YamlDotNet.Core;

namespace EdgeInfra.Tests.Engine.Yaml;

public sealed class BoundedYamlParserTests
{
    private static YamlException Refused(string yaml) => Assert.ThrowsAny<YamlException>(() => YamlParsers.LoadStream(yaml));

    [Theory]
    [InlineData("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first at line 1)")]
    [InlineData("x:\n  a: 1\n  'a': 2\n", 3, "duplicate key 'a'")]
    [InlineData("- {a: 1, b: 2, a: 3}\n", 1, "duplicate key 'a'")]
    [InlineData("stores:\n  - id: s1\n    labels: {}\n    id: s2\n", 4, "duplicate key 'id'")]
    public void Load_DuplicateKey_RefusedAtTheSecondOne(string yaml, int line, string message)
    {
        var e = Refused(yaml);

        Assert.Equal(line, e.Start.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Load_SameKeyInSiblingMappings_Accepted()
    {
        var stream = YamlParsers.LoadStream("- a: 1\n  b: 2\n- a: 3\n  b: 4\nc: [{a: 1}, {a: 2}]\n".Replace("c: [", "- c: ["));

        Assert.Single(stream.Documents);
    }

    [Theory]
    [InlineData("a: &a [*a]\n")]
    [InlineData("a: &a {b: {c: *a}}\n")]
    [InlineData("&root\nkey: *root\n")]
    public void Load_AliasToItsOwnNode_RefusedWithoutRecursing(string yaml)
    {
        Assert.Contains("refers to the node that contains it", Refused(yaml).Message);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(9)]
    public void Load_BillionLaughs_RefusedBeforeExpanding(int depth)
    {
        var yaml = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n";
        for (var i = 1; i < depth; i++) yaml += $"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]\n";

        var e = Refused(yaml);

        Assert.Contains("aliases", e.Message);
    }

    [Fact]
    public void Load_AliasesNestedTooDeep_Refused()
    {
        var yaml = "a: &a [x]\nb: &b [*a]\nc: &c [*b]\nd: &d [*c]\ne: &e [*d]\nf: [*e]\n";

        var e = Refused(yaml);

        Assert.Equal(6, e.Start.Line);
        Assert.Contains($"at most {BoundedYamlParser.MaxAliasDepth}", e.Message);
    }

    [Fact]
    public void Load_TooManyAliases_Refused()
    {
        var yaml = "a: &a x\nb: [" + string.Join(", ", Enumerable.Repeat("*a", BoundedYamlParser.MaxAliases + 1)) + "]\n";

        Assert.Contains("aliases in one document", Refused(yaml).Message);
    }

    [Fact]
    public void Load_OrdinaryAnchorsAndAliases_Accepted()
    {
        var yaml = "defaults: &d {cpu: 500m, memory: 512Mi}\nhigh: *d\nlow: *d\nlist: &l [a, b]\nagain: *l\n";

        var stream = YamlParsers.LoadStream(yaml);

        Assert.Single(stream.Documents);
    }

    [Fact]
    public void Load_MegabyteScalar_Refused()
    {
        var e = Refused($"a: b\nversion: {new string('9', 1 << 20)}\n");

        Assert.Equal(2, e.Start.Line);
        Assert.Contains("longer than", e.Message);
    }

    [Theory]
    [InlineData("stores:\n  - id: a\n    labels:\n\t  site: x\n", 4)]
    [InlineData("a:\n  b: 1\n  c: [x, y\n  d: 2\n", 3)]
    [InlineData("a: 1\nb:\n  - id: s1\n    labels:\n      site-id: [hu\n      region: x\n", 5)]
    public void Load_SyntaxErrorYamlDotNetLeavesUnplaced_ReportedNearItsLine(string yaml, int line)
    {
        var e = Refused(yaml);

        Assert.InRange(e.Start.Line, line, line + 1);
    }
}
