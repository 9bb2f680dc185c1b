using System.Text;
using System.Text.RegularExpressions;
using EdgeInfra.Automation;
using EdgeInfra.Cli;
using EdgeInfra.Service;
using EdgeInfra.StackInputs.Config;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Components;
using Microsoft.AspNetCore.Routing;
using Spectre.Console;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Tests.Examples;

/// <summary>The example CI files (examples/ci) ask only for what exists: every <c>edgeinfra</c> invocation parses in the
/// real command tree, and every <c>/api/v1</c> call is a route of the real service with that method.</summary>
public sealed partial class CiExamplesTests
{
    public static TheoryData<string> Files => new() { "github-actions.yml", "gitlab-ci.yml" };

    [Theory]
    [MemberData(nameof(Files))]
    public void CiExample_EveryEdgeinfraInvocation_ParsesInTheRealCommandTree(string file)
    {
        var invocations = CiScript.Of(Read(file)).Invocations;
        var root = CliApp.Build(new CliContext(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }),
            TextWriter.Null, TextWriter.Null, TimeProvider.System));

        var problems = new StringBuilder();
        foreach (var args in invocations)
        {
            var parse = root.Parse(args);
            if (parse.CommandResult.Command == root) problems.AppendLine($"edgeinfra {string.Join(' ', args)}: names no command");
            foreach (var error in parse.Errors) problems.AppendLine($"edgeinfra {string.Join(' ', args)}: {error.Message}");
        }

        Assert.Contains(invocations, a => a is ["preview", ..] && a.Contains("markdown") && a.Contains("--save-plan"));
        Assert.True(problems.Length == 0, $"{file}:\n{problems}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task CiExample_EveryApiCall_IsARouteOfTheServiceWithThatMethod(string file)
    {
        var calls = CiScript.Of(Read(file)).ApiCalls;
        var routes = await ServiceRoutesAsync();

        var missing = calls.Where(c => !routes.Any(r => r.Method == c.Method && Matches(r.Pattern, c.Path)))
            .Select(c => $"{c.Method} {c.Path}").ToList();

        Assert.Contains(new ApiCall("POST", "/api/v1/rollouts"), calls);
        Assert.Contains(new ApiCall("GET", "/api/v1/rollouts/{}/events"), calls);
        Assert.Contains(new ApiCall("GET", "/api/v1/rollouts/{}"), calls);
        Assert.True(missing.Count == 0, $"{file} calls what the service does not serve: {string.Join("; ", missing)}\n" +
                                        $"routes: {string.Join("; ", routes.Select(r => $"{r.Method} {r.Pattern}"))}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CiExample_Comment_IsFoundByTheMarkerThePreviewWrites(string file) =>
        Assert.Contains(MarkdownPreview.Marker("prod"), Read(file), StringComparison.Ordinal);

    private static string Read(string file) => File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "ci", file));

    /// <summary>A route pattern (<c>/api/v1/rollouts/{id}/events</c>) against a called path whose variable segments are <c>{}</c>.</summary>
    private static bool Matches(string pattern, string path)
    {
        var p = pattern.Trim('/').Split('/');
        var c = path.Trim('/').Split('/');
        return p.Length == c.Length && p.Zip(c).All(x => x.First.StartsWith('{') ? x.Second.Length > 0 : x.First == x.Second);
    }

    /// <summary>Every route of the service built in-process over a throw-away project (not started).</summary>
    private static async Task<List<(string Method, string Pattern)>> ServiceRoutesAsync()
    {
        using var lab = new LabProject();
        var stack = EdgeInfraWorkspace.Load(lab.Dir).Stack("lab");
        var app = StackApi.Create(new ServiceOptions("lab", ListenAddress.TryParse("127.0.0.1:0")!, ServiceSettings.None), stack, TimeProvider.System);
        await using (app)
        {
            return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))];
        }
    }
}

/// <summary>One HTTP call a CI script makes: its method and its path, variable segments written <c>{}</c>.</summary>
internal sealed record ApiCall(string Method, string Path);

/// <summary>The shell a CI file runs, read out of every YAML scalar: <c>edgeinfra</c> invocations and <c>/api/v1</c> calls.</summary>
internal sealed partial record CiScript(IReadOnlyList<string[]> Invocations, IReadOnlyList<ApiCall> ApiCalls)
{
    public static CiScript Of(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var invocations = new List<string[]>();
        var calls = new List<ApiCall>();
        foreach (var scalar in stream.Documents.SelectMany(d => d.AllNodes).OfType<YamlScalarNode>())
        {
            // A backslash-newline continues a shell command on the next line.
            foreach (var line in (scalar.Value ?? "").Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
            {
                var command = line.TrimStart();
                if (command.StartsWith('#')) continue;
                foreach (Match m in Invocation().Matches(command)) invocations.Add(Words(m.Groups[1].Value));
                foreach (Match m in ApiPath().Matches(command)) calls.Add(new ApiCall(Method(command), Normalise(m.Value)));
            }
        }
        return new CiScript(invocations, calls);
    }

    private static string Method(string command) =>
        RequestMethod().Match(command) is { Success: true } m ? m.Groups[1].Value
        : command.Contains("--data", StringComparison.Ordinal) || command.Contains(" -d ", StringComparison.Ordinal) ? "POST"
        : "GET";

    private static string Normalise(string path) =>
        string.Join('/', path.Split('/').Select(s => s.StartsWith('$') ? "{}" : s));

    private static string[] Words(string args) =>
        [.. args.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w => w.Trim('"', '\''))];

    /// <summary><c>edgeinfra</c> as a command (not part of a path, a variable or a name like edgeinfra-plan) and its
    /// arguments up to a pipe, redirect, separator or the end of the line.</summary>
    [GeneratedRegex(@"(?<![\w./$-])edgeinfra[ \t]+([^|;&<>)\n]*)")]
    private static partial Regex Invocation();

    [GeneratedRegex(@"/api/v1/[^\s""'?]*")]
    private static partial Regex ApiPath();

    [GeneratedRegex(@"(?:-X|--request)\s+([A-Z]+)")]
    private static partial Regex RequestMethod();
}
