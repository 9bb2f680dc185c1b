using System.Text;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Tests.Components;

/// <summary>Everything a model renders to, as files keyed by a repo-like path, plus the stacks themselves.</summary>
internal sealed record RenderedFleet(IReadOnlyList<DesiredStack> Stacks, IReadOnlyDictionary<string, string> Files)
{
    public const string DevicesDir = "devices";

    public static RenderedFleet Of(FleetModel model)
    {
        var stacks = new List<DesiredStack> { FleetStackBuilder.BuildBase(model, TestFleet.Project) };
        stacks.AddRange(model.Rings.Select(r =>
            FleetStackBuilder.BuildRing(model, r.Name, TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret)));
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in stacks)
            foreach (var r in stack.Resources.Where(r => r.Custom))
            {
                var path = r.Inputs[FleetResourceKeys.Path];
                var key = r.Provider == FleetProviders.Device ? $"{DevicesDir}/{r.Inputs[FleetResourceKeys.Store]}{path}" : path;
                files.Add(key, r.Inputs[FleetResourceKeys.Content]);
            }
        return new RenderedFleet(stacks, files);
    }

    /// <summary>A readable listing of a stack's resources for the golden files.</summary>
    public static string Listing(DesiredStack stack)
    {
        var sb = new StringBuilder($"stack: {stack.Stack}\nproject: {stack.Project}\n");
        foreach (var r in stack.Resources)
        {
            sb.Append($"- urn: {r.Urn}\n  parent: {r.Parent}\n");
            if (r.Provider is not null) sb.Append($"  provider: {r.Provider}\n");
            if (r.MoveKey is not null) sb.Append($"  moveKey: {r.MoveKey}\n");
            if (!r.SecretInputs.IsEmpty) sb.Append($"  secretInputs: {string.Join(",", r.SecretInputs.Order(StringComparer.Ordinal))}\n");
            if (!r.Tags.IsEmpty) sb.Append($"  tags: {string.Join(",", r.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"))}\n");
            foreach (var (k, v) in r.Inputs.Where(i => i.Key != FleetResourceKeys.Content))
                sb.Append($"  {k}: {v}\n");
        }
        foreach (var (k, v) in stack.Outputs) sb.Append($"output {k}: {v}\n");
        return sb.ToString();
    }
}
