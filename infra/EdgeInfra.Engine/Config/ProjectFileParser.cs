using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static EdgeInfra.Engine.Config.YamlDocuments;

namespace EdgeInfra.Engine.Config;

/// <summary>Parses Pulumi.yaml and applies Pulumi's <c>Project.Validate</c> rules, collecting every problem.</summary>
internal static partial class ProjectFileParser
{
    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        "name", "runtime", "description", "author", "website", "license", "main", "config", "stackConfigDir",
        "backend", "options", "template", "packages", "plugins",
    };


    public static ProjectFile Parse(string path, string text)
    {
        var problems = new List<string>();
        // Pulumi.yaml sits in the project directory: messages name it as the user does, not by its absolute path.
        var display = System.IO.Path.GetFileName(path);
        void Report(YamlNode? at, string message) =>
            problems.Add(at is null ? $"{display}: {message}" : ConfigException.At(display, Line(at), message));

        var root = LoadRoot(display, text);
        if (root is not YamlMappingNode map)
            throw new ConfigException($"{display}: a project file must be a YAML mapping");

        var fields = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = ScalarText(k) ?? "";
            if (!TopLevelKeys.Contains(name)) Report(k, $"unknown project attribute '{name}'");
            else fields[name] = (k, v);
        }

        var projectName = ReadName(fields, map, Report);
        if (!fields.ContainsKey("runtime") || !HasRuntimeName(fields["runtime"].Value))
            Report(fields.TryGetValue("runtime", out var rt) ? rt.Key : map, "project is missing a 'runtime' attribute");

        var projectDir = System.IO.Path.GetDirectoryName(path)!;
        string? description = null;
        if (fields.TryGetValue("description", out var d))
        {
            description = ScalarText(d.Value);
            if (description is null) Report(d.Value, "'description' must be a string");
        }

        var stackConfigDir = ReadStackConfigDir(fields, projectDir, Report);
        var (backendUrl, stateRoot) = ReadBackend(fields, projectDir, Report);
        var config = fields.TryGetValue("config", out var c) && c.Value is YamlMappingNode cm
            ? ConfigSchemaParser.Parse(cm, projectName.Length > 0 ? projectName : "project", Report)
            : new Dictionary<string, ConfigSchemaEntry>();

        if (problems.Count > 0) throw new ConfigException(problems);
        return new ProjectFile(projectName, description, backendUrl, stateRoot, stackConfigDir, projectDir, path, config);
    }

    private static string ReadName(
        Dictionary<string, (YamlNode Key, YamlNode Value)> fields, YamlNode map, Action<YamlNode?, string> report)
    {
        if (!fields.TryGetValue("name", out var n) || ScalarText(n.Value) is not { Length: > 0 } name)
        {
            report(fields.TryGetValue("name", out var nn) ? nn.Key : map, "project is missing a 'name' attribute");
            return "";
        }
        if (name.Length > 100) report(n.Value, $"project name '{name}' is too long: project names are limited to 100 characters");
        else if (!NamePattern().IsMatch(name))
            report(n.Value, $"invalid project name '{name}': project names may only contain alphanumerics, hyphens, underscores, and periods");
        return name;
    }

    private static bool HasRuntimeName(YamlNode runtime) => runtime switch
    {
        YamlScalarNode s => !string.IsNullOrEmpty(s.Value),
        YamlMappingNode m => Child(m, "name") is { } n && !string.IsNullOrEmpty(ScalarText(n)),
        _ => false,
    };

    private static string ReadStackConfigDir(
        Dictionary<string, (YamlNode Key, YamlNode Value)> fields, string projectDir, Action<YamlNode?, string> report)
    {
        string? dir = null;
        if (fields.TryGetValue("stackConfigDir", out var s))
        {
            dir = ScalarText(s.Value);
            if (dir is null) report(s.Value, "'stackConfigDir' must be a string");
        }
        if (fields.TryGetValue("config", out var c) && c.Value is YamlScalarNode cs)
        {
            // Pulumi's deprecated form: `config: <dir>` names the stack config directory.
            if (dir is not null)
                report(c.Key, "Should not use both config and stackConfigDir to define the stack config directory. Use only stackConfigDir instead.");
            dir = cs.Value;
        }
        else if (fields.TryGetValue("config", out var cv) && cv.Value is not YamlMappingNode)
        {
            report(cv.Value, "'config' must be a mapping of configuration keys");
        }
        return string.IsNullOrEmpty(dir) ? projectDir : System.IO.Path.GetFullPath(System.IO.Path.Combine(projectDir, dir));
    }

    private static (string Url, string StateRoot) ReadBackend(
        Dictionary<string, (YamlNode Key, YamlNode Value)> fields, string projectDir, Action<YamlNode?, string> report)
    {
        var url = ProjectFile.DefaultBackendUrl;
        YamlNode? at = null;
        if (fields.TryGetValue("backend", out var b))
        {
            if (b.Value is not YamlMappingNode bm) report(b.Value, "'backend' must be a mapping with a 'url'");
            else if (Child(bm, "url") is { } u)
            {
                at = u;
                if (ScalarText(u) is { Length: > 0 } text) url = text;
                else report(u, "'backend.url' must be a non-empty string");
            }
        }
        return (url, ResolveFileUrl(url, projectDir, at, report));
    }

    internal static string ResolveFileUrl(string url, string projectDir, YamlNode? at, Action<YamlNode?, string> report)
    {
        const string scheme = "file://";
        if (!url.StartsWith(scheme, StringComparison.Ordinal))
        {
            report(at, $"backend url '{url}' is not supported: EdgeInfra keeps state in a file backend (file://<dir>)");
            return System.IO.Path.Combine(projectDir, ".edgeinfra");
        }
        var rest = url[scheme.Length..];
        if (rest.Length == 0)
        {
            report(at, $"backend url '{url}' names no directory");
            return System.IO.Path.Combine(projectDir, ".edgeinfra");
        }
        if (rest == "~" || rest.StartsWith("~/", StringComparison.Ordinal))
            rest = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), rest.TrimStart('~', '/'));
        return System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(rest) ? rest : System.IO.Path.Combine(projectDir, rest));
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+\z")]
    private static partial Regex NamePattern();
}
