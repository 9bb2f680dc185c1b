using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Yaml;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Tests.Components;

public sealed class YamlEmitterTests
{
    public static TheoryData<string> TrickyStrings => new()
    {
        "", " ", "plain", "true", "True", "FALSE", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~",
        "123", "-7", "+1", "0x1F", "0o17", "017", "1e3", "1.5", ".5", ".inf", "-.inf", ".nan", "NaN", "1_000",
        "2024-01-01", "2024-01-01T10:00:00Z", "1:20", "12:30:45",
        "-", "- a", "-a", "?", "? a", ":", "a:", "a: b", "a:b", "a #b", "a#b", "#x", "@x", "`x", "*x", "&x", "!x", "%x",
        "|x", ">x", "'x", "\"x", "x'y", "x\"y", "[x]", "{x}", "x,y", "x]", "=", "<<", "\\", "a\\b", "10%",
        "a\nb", "a\nb\n", "a\n\nb", "a\n\n", "\na", " lead", "trail ", "a \nb", "tab\tin", "\ttab", "line\r\nwin",
        "ünïcode", "emoji 😀", "multi\n  indented\nlines\n", "  \n", "x\n  \ny", "bell\u0007", "nul\0", "bom\uFEFF",
        "key: |\n  block\n", "^(.*)$", "$1", "${ .ClusterLabels.region }", "{{ .Values.x }}",
    };

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public void Emit_TrickyStringAsValueAndKey_RoundTripsThroughYamlDotNet(string text)
    {
        var node = new JsonObject { ["value"] = text, [text] = "key", ["list"] = new JsonArray(text, new JsonObject { ["nested"] = text }) };
        var yaml = YamlEmitter.Emit(node);

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal(text, ((YamlScalarNode)root[new YamlScalarNode("value")]).Value);
        Assert.Contains(root.Children, c => ((YamlScalarNode)c.Key).Value == text && ((YamlScalarNode)c.Value).Value == "key");

        // Resolved with the core schema, every one of them is still a string (never a bool, number or null).
        var parsed = YamlJsonReader.Read(yaml)!;
        Assert.Equal(JsonValueKind.String, parsed["value"]!.GetValueKind());
        Assert.Equal(text, parsed["value"]!.GetValue<string>());
        Assert.Equal(text, parsed["list"]![0]!.GetValue<string>());
        Assert.Equal(text, parsed["list"]![1]!["nested"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("123")]
    [InlineData("1.0")]
    [InlineData("null")]
    [InlineData("2024-01-01")]
    public void Emit_StringThatLooksTyped_IsQuoted(string text) =>
        Assert.Equal($"v: \"{text}\"\n", YamlEmitter.Emit(new JsonObject { ["v"] = text }));

    [Fact]
    public void Emit_MultiLineString_UsesLiteralBlock()
    {
        var yaml = YamlEmitter.Emit(new JsonObject { ["script"] = "echo a\necho b\n", ["nested"] = new JsonArray("x\ny") });
        Assert.Equal("script: |\n  echo a\n  echo b\nnested:\n  - |-\n    x\n    y\n", yaml);
    }

    [Fact]
    public void Emit_TypedScalarsAndEmptyCollections_RoundTripWithTheirTypes()
    {
        var node = new JsonObject
        {
            ["int"] = 0, ["negative"] = -5, ["long"] = 1L << 40, ["double"] = 2.5, ["whole"] = 3.0, ["t"] = true, ["f"] = false,
            ["null"] = null, ["emptyObject"] = new JsonObject(), ["emptyArray"] = new JsonArray(),
            ["deep"] = new JsonArray(new JsonArray(1, 2), new JsonArray(), new JsonObject { ["a"] = new JsonArray(new JsonObject()) }),
        };
        var back = YamlJsonReader.Read(YamlEmitter.Emit(node));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(node.ToJsonString()), JsonNode.Parse(back!.ToJsonString())),
            $"{node.ToJsonString()}\n!=\n{back.ToJsonString()}");
    }

    [Fact]
    public void Emit_ParsedJsonNumbers_KeepTheirText()
    {
        var node = JsonNode.Parse("""{"a": 1, "b": 1.25, "c": 100000000000000000000}""");
        Assert.Equal("a: 1\nb: 1.25\nc: 100000000000000000000\n", YamlEmitter.Emit(node));
    }

    [Fact]
    public void Emit_SameTree_IsDeterministicInInsertionOrder()
    {
        var node = new JsonObject { ["z"] = 1, ["a"] = new JsonObject { ["k"] = "x", ["b"] = "c" } };
        Assert.Equal("z: 1\na:\n  k: x\n  b: c\n", YamlEmitter.Emit(node));
        Assert.Equal(YamlEmitter.Emit(node), YamlEmitter.Emit(node.DeepClone()));
    }
}
