using YamlDotNet.RepresentationModel;
using static EdgeInfra.Engine.Config.YamlDocuments;

namespace EdgeInfra.Engine.Config;

/// <summary>Loads <c>Pulumi.&lt;stack&gt;.yaml</c>, merges Pulumi.yaml defaults and checks it against the config schema.</summary>
/// <remarks>Follows Pulumi's <c>ValidateStackConfigAndApplyProjectConfig</c>, and also rejects undeclared keys in the
/// project namespace (typos). Every problem is collected and thrown at once as a <see cref="ConfigException"/>.</remarks>
public static class StackConfigLoader
{
    /// <summary>Loads a stack's configuration; <paramref name="passphrase"/> null means the environment (<see cref="EnvironmentPassphraseSource"/>).</summary>
    public static StackConfig Load(ProjectFile project, string stack, IPassphraseSource? passphrase) =>
        Load(project, stack, passphrase, PassphraseSecretsManager.Iterations);

    internal static StackConfig Load(ProjectFile project, string stack, IPassphraseSource? passphrase, int iterations)
    {
        var file = project.ReadStackFile(stack);
        // Messages and source locations name files as the user sees them in the project, not as absolute temp paths.
        var stackPath = Display(project, file.Path);
        var projectPath = Display(project, project.Path);
        var problems = file.ShapeProblems().ToList();
        var entries = new List<ConfigEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var anySecure = false;

        foreach (var (k, v) in file.Config?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            var written = ScalarText(k);
            if (string.IsNullOrEmpty(written)) { problems.Add(ConfigException.At(stackPath, Line(k), "configuration keys must be non-empty strings")); continue; }
            if (ConfigKeys.TryParse(written, project.Name) is not { } key)
            {
                problems.Add(ConfigException.At(stackPath, Line(k), ConfigKeys.Invalid(written)));
                continue;
            }
            if (!seen.Add(key)) { problems.Add(ConfigException.At(stackPath, Line(k), $"configuration key '{key}' is set twice")); continue; }
            var secure = YamlValue.ContainsSecure(v);
            anySecure |= secure;
            entries.Add(new ConfigEntry(key, v, secure, stackPath));
            CheckAgainstSchema(project, stack, stackPath, key, k, v, secure, problems);
        }

        var missing = new List<ConfigSchemaEntry>();
        foreach (var schema in project.Config.Values.Where(s => !seen.Contains(s.Key)))
        {
            if ((schema.Default ?? schema.Value) is { } fallback)
            {
                if (schema.Secret && !YamlValue.ContainsSecure(fallback))
                    problems.Add(ConfigException.At(projectPath, schema.Line, $"Stack '{stack}' with configuration key '{schema.Key}' must be encrypted as it's secret (set it with `config set --secret` instead of a plaintext default)"));
                entries.Add(new ConfigEntry(schema.Key, fallback, YamlValue.ContainsSecure(fallback), projectPath));
            }
            else if (schema.IsRequired(project.Name))
            {
                missing.Add(schema);
            }
        }
        foreach (var m in missing)
            problems.Add($"{stackPath}: Stack '{stack}' is missing configuration value '{m.Key}' (declared at {projectPath}:{m.Line})");

        if (anySecure && file.EncryptionSalt is null)
            problems.Add($"{stackPath}: holds secure values but no 'encryptionsalt', so they cannot be decrypted");

        PassphraseSecretsManager? secrets = null;
        if (file.EncryptionSalt is { } salt)
        {
            try
            {
                secrets = new PassphraseSecretsManager(salt, passphrase ?? new EnvironmentPassphraseSource(), stack, iterations);
            }
            catch (ConfigException e)
            {
                problems.AddRange(e.Problems.Select(p => $"{Display(project, file.Path)}: {p}"));
            }
        }

        if (problems.Count > 0) throw new ConfigException(problems);
        return new StackConfig(project.Name, stack, file.Path, entries, secrets, project.Config);
    }

    private static string Display(ProjectFile project, string path) => project.Display(path);

    private static void CheckAgainstSchema(
        ProjectFile project, string stack, string path, string key, YamlNode keyNode, YamlNode value, bool secure, List<string> problems)
    {
        if (!project.Config.TryGetValue(key, out var schema))
        {
            // Undeclared project keys are typos, except secrets: those are referenced by name from other config
            // (a registry zone's authKey) and set by each user with `config set --secret`.
            if (ConfigKeys.IsInNamespace(key, project.Name) && !secure)
                problems.Add(ConfigException.At(path, Line(keyNode), $"configuration key '{key}' is not declared in the config schema of {Display(project, project.Path)}"));
            return;
        }
        if (schema.Secret && !secure)
            problems.Add(ConfigException.At(path, Line(keyNode), $"Stack '{stack}' with configuration key '{key}' must be encrypted as it's secret"));
        if (schema.Type is not null && !ConfigTypeCheck.Matches(schema.Type, schema.Items, value, stringlyScalars: true))
            problems.Add(ConfigException.At(path, Line(value), $"Stack '{stack}' with configuration key '{key}' must be of type '{schema.FullTypeName}'"));
    }
}
