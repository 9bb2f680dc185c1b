using EdgeInfra.Components.Model;
using EdgeInfra.Engine.Config;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.StackInputs.Config;

/// <summary>One app whose release must be signed: the PEM public key file cosign signatures are checked with.</summary>
/// <param name="KeyFile">The key file's full path (inside the project).</param>
/// <param name="Pem">The file's text, read when the config was read.</param>
public sealed record ReleaseVerifyKey(string App, string KeyFile, string Pem, SourceLocation Location);

/// <summary>Reads <c>edge-infra:release</c>: <c>verify</c> (app → the path of its signing public key, relative to the
/// project directory). Keys are files, not config values: a PEM block spans lines and config values are one line.</summary>
public static class ReleaseConfigReader
{
    public const string Key = FleetConfigKeys.Namespace + ":release";

    /// <summary>App → its verification key; empty when the stack verifies nothing. Throws
    /// <see cref="FleetModelException"/> listing every problem (unknown field, a path outside the project, a missing file).</summary>
    public static IReadOnlyDictionary<string, ReleaseVerifyKey> Load(IStackConfig config, string projectDir)
    {
        var problems = new List<string>();
        var reader = new ConfigReader(problems);
        var result = new Dictionary<string, ReleaseVerifyKey>(StringComparer.Ordinal);
        if (config.Get(Key) is { } entry)
        {
            var root = new ConfigNode(entry.Value, entry.File, "release");
            var fields = reader.Fields(root, "verify");
            if (fields.TryGetValue("verify", out var verify) && !ConfigReader.IsNull(verify.Node))
            {
                foreach (var (app, node) in reader.Entries(verify))
                {
                    if (node.Node is not YamlScalarNode { Value: { Length: > 0 } path })
                    {
                        reader.Problem(node, $"app '{app}': must be the path of a PEM public key file (ECDSA P-256 or Ed25519)");
                        continue;
                    }
                    var project = Path.GetFullPath(projectDir);
                    var full = Path.GetFullPath(Path.Combine(project, path));
                    if (!full.StartsWith(project.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        reader.Problem(node, $"app '{app}': key file '{path}' is outside the project directory");
                        continue;
                    }
                    if (!File.Exists(full))
                    {
                        reader.Problem(node, $"app '{app}': key file '{path}' does not exist");
                        continue;
                    }
                    result[app] = new ReleaseVerifyKey(app, full, File.ReadAllText(full), node.Location);
                }
            }
        }
        if (problems.Count > 0) throw new FleetModelException(problems);
        return result;
    }
}
