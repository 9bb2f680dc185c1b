using System.Collections.Immutable;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Engine.Planning;

/// <summary>A sibling stack as the planner sees it: its recorded state and, when the caller knows it, its desired state.</summary>
internal sealed record SiblingView(string Stack, StackSnapshot State, DesiredStack? Desired);

/// <summary>Diffs a desired stack against its recorded state (and its siblings' for moves) in one O(n) pass.</summary>
/// <param name="replaceKeys">The provider's replace keys for (provider, type); null when no such provider exists.</param>
internal sealed class Planner(Func<string, string, IReadOnlySet<string>?> replaceKeys)
{
    private const string Masked = "[secret]";
    private readonly Dictionary<(string, string), IReadOnlySet<string>?> _replaceKeyCache = [];

    public Plan Plan(DesiredStack desired, StackSnapshot old, IReadOnlyList<SiblingView> siblings, IReadOnlyList<string> targets)
    {
        var problems = new List<string>();
        var filter = new TargetFilter(targets);
        var siblingState = new Dictionary<string, (string Stack, ResourceState State)>(StringComparer.Ordinal);
        var siblingDesired = new Dictionary<string, (string Stack, DesiredResource Desired)>(StringComparer.Ordinal);
        foreach (var s in siblings.Where(s => s.Stack != desired.Stack).OrderBy(s => s.Stack, StringComparer.Ordinal))
        {
            foreach (var r in s.State.Resources)
                if (r.MoveKey is not null) siblingState.TryAdd(r.MoveKey, (s.Stack, r));
            if (s.Desired is null) continue;
            foreach (var d in s.Desired.Resources)
                if (d.MoveKey is not null) siblingDesired.TryAdd(d.MoveKey, (s.Stack, d));
        }

        var desiredUrns = new HashSet<Urn>(desired.Resources.Length);
        foreach (var d in desired.Resources)
            if (!desiredUrns.Add(d.Urn)) problems.Add($"duplicate resource URN {d.Urn}");

        var steps = new List<PlanStep>(desired.Resources.Length + 16);
        var untargetedCreates = new HashSet<Urn>();
        var root = desired.RootUrn;
        foreach (var d in desired.Resources)
        {
            CheckDeclared(d, root, desiredUrns, problems);
            if (d.MoveKey is not null && siblingDesired.TryGetValue(d.MoveKey, out var rival))
                problems.Add($"{d.Urn}: move key '{d.MoveKey}' is also wanted by stack {rival.Stack} ({rival.Desired.Urn}); a resource can belong to one ring only");
            if (d.Custom && d.Provider is null) problems.Add($"{d.Urn}: custom resource names no provider");
            else if (d.Custom && ReplaceKeys(d.Provider!, d.Type) is null) problems.Add($"{d.Urn}: unknown provider '{d.Provider}'");
            var step = old.ByUrn.TryGetValue(d.Urn, out var o) ? Diff(o, d, problems)
                : d.MoveKey is not null && siblingState.TryGetValue(d.MoveKey, out var from) ? MoveIn(from.Stack, from.State, d)
                : new PlanStep(StepOp.Create, d.Urn, null, d) { Diffs = Mask(PropertyMap.Empty.DiffTo(d.Inputs), d.SecretInputs, ImmutableHashSet<string>.Empty) };
            if (filter.Matches(d.Urn)) { steps.Add(step); continue; }
            switch (step.Op)
            {
                case StepOp.Create: untargetedCreates.Add(d.Urn); break;
                case StepOp.Move: break;
                default: steps.Add(new PlanStep(StepOp.Same, d.Urn, step.Old, null)); break;
            }
        }

        foreach (var o in old.Resources)
        {
            if (desiredUrns.Contains(o.Urn)) continue;
            PlanStep step;
            if (o.MoveKey is not null && (siblingDesired.ContainsKey(o.MoveKey) || siblingState.ContainsKey(o.MoveKey)))
            {
                var owned = siblingState.TryGetValue(o.MoveKey, out var s);
                var to = siblingDesired.TryGetValue(o.MoveKey, out var want) ? want.Stack : s.Stack;
                step = new PlanStep(StepOp.MoveOut, o.Urn, o, null)
                {
                    OtherStack = to,
                    Handover = owned ? null : Rehome(o, want.Desired),
                };
            }
            else step = new PlanStep(StepOp.Delete, o.Urn, o, null);
            if (!filter.Matches(o.Urn)) { steps.Add(new PlanStep(StepOp.Same, o.Urn, o, null)); continue; }
            if (step.Op == StepOp.Delete && o.Protect)
                problems.Add($"{o.Urn}: resource is protected and would be deleted; set protect: false and run up first");
            steps.Add(step);
        }

        if (untargetedCreates.Count > 0)
            foreach (var s in steps.Where(s => s.New is not null && s.Op != StepOp.Same))
                foreach (var dep in Dependencies(s.New!).Where(untargetedCreates.Contains))
                    problems.Add($"Resource '{s.Urn}' depends on '{dep}' which was not specified in --target list");

        if (problems.Count > 0) throw new PlanException(problems);
        return new Plan(desired.Stack, [.. steps], old.PendingOperations);
    }

    private static IEnumerable<Urn> Dependencies(DesiredResource d) =>
        d.Parent is { } p ? d.Options.DependsOn.Append(p) : d.Options.DependsOn;

    private static void CheckDeclared(DesiredResource d, Urn root, HashSet<Urn> declared, List<string> problems)
    {
        if (d.Parent is { } p && p != root && !declared.Contains(p))
            problems.Add($"{d.Urn}: parent {p} is not declared in the stack");
        foreach (var dep in d.Options.DependsOn)
            if (!declared.Contains(dep)) problems.Add($"{d.Urn}: dependsOn {dep} is not declared in the stack");
    }

    private PlanStep Diff(ResourceState o, DesiredResource d, List<string> problems)
    {
        var n = ApplyIgnoreChanges(o, d);
        var metadata = MetadataDiffers(o, n);
        if (o.Inputs.Equals(n.Inputs) && o.Custom == n.Custom && o.Provider == n.Provider)
            return new PlanStep(StepOp.Same, d.Urn, o, n) { MetadataChanged = metadata };
        var diffs = o.Inputs.DiffTo(n.Inputs);
        var reasons = ImmutableArray.CreateBuilder<string>();
        if (o.Custom != n.Custom || o.Provider != n.Provider) reasons.Add("provider");
        if (n.Custom)
        {
            var keys = ReplaceKeys(n.Provider!, n.Type);
            var any = n.Options.ReplaceOnChanges.Contains("*");
            foreach (var diff in diffs)
                if (any || n.Options.ReplaceOnChanges.Contains(diff.Key) || keys?.Contains(diff.Key) == true)
                    reasons.Add(diff.Key);
        }
        var masked = Mask(diffs, n.SecretInputs, o.SecretInputs);
        if (reasons.Count == 0) return new PlanStep(StepOp.Update, d.Urn, o, n) { Diffs = masked };
        if (o.Protect || n.Options.Protect)
            problems.Add($"{d.Urn}: resource is protected and would be replaced (changed: {string.Join(", ", reasons)}); set protect: false and run up first");
        return new PlanStep(StepOp.Replace, d.Urn, o, n) { Diffs = masked, ReplaceReasons = reasons.ToImmutable() };
    }

    private static PlanStep MoveIn(string fromStack, ResourceState o, DesiredResource d)
    {
        var n = ApplyIgnoreChanges(o, d);
        return new PlanStep(StepOp.Move, d.Urn, o, n)
        {
            OtherStack = fromStack,
            Diffs = Mask(o.Inputs.DiffTo(n.Inputs), n.SecretInputs, o.SecretInputs),
        };
    }

    /// <summary>The old state entry as it will live in the sibling: the sibling's URN and parent, our inputs and id.</summary>
    private static ResourceState? Rehome(ResourceState o, DesiredResource? target) => target is null ? null :
        o with
        {
            Urn = target.Urn, Parent = target.Parent, Provider = target.Provider,
            Dependencies = target.Options.DependsOn, Protect = target.Options.Protect,
            IgnoreChanges = target.Options.IgnoreChanges, ReplaceOnChanges = target.Options.ReplaceOnChanges,
        };

    private static DesiredResource ApplyIgnoreChanges(ResourceState o, DesiredResource d)
    {
        if (d.Options.IgnoreChanges.IsDefaultOrEmpty) return d;
        var items = new Dictionary<string, string>(d.Inputs, StringComparer.Ordinal);
        foreach (var pattern in d.Options.IgnoreChanges)
        {
            foreach (var key in items.Keys.Concat(o.Inputs.Keys).Where(k => KeyMatches(pattern, k)).Distinct().ToList())
            {
                if (o.Inputs.TryGetValue(key, out var kept)) items[key] = kept;
                else items.Remove(key);
            }
        }
        return d with { Inputs = PropertyMap.From(items) };
    }

    private static bool KeyMatches(string pattern, string key) =>
        pattern == "*" || pattern == key ||
        (pattern.EndsWith('*') && key.StartsWith(pattern[..^1], StringComparison.Ordinal));

    private static bool MetadataDiffers(ResourceState o, DesiredResource n) =>
        o.Parent != n.Parent || o.Protect != n.Options.Protect || o.MoveKey != n.MoveKey ||
        !o.Dependencies.SequenceEqual(n.Options.DependsOn) ||
        !o.IgnoreChanges.SequenceEqual(n.Options.IgnoreChanges) ||
        !o.ReplaceOnChanges.SequenceEqual(n.Options.ReplaceOnChanges) ||
        !o.SecretInputs.SetEquals(n.SecretInputs) ||
        o.Tags.Count != n.Tags.Count || o.Tags.Any(t => !n.Tags.TryGetValue(t.Key, out var v) || v != t.Value);

    private IReadOnlySet<string>? ReplaceKeys(string provider, string type)
    {
        if (!_replaceKeyCache.TryGetValue((provider, type), out var keys))
            _replaceKeyCache[(provider, type)] = keys = replaceKeys(provider, type);
        return keys;
    }

    internal static IReadOnlyList<PropertyDiff> Mask(IReadOnlyList<PropertyDiff> diffs, IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        if (a.Count == 0 && b.Count == 0) return diffs;
        return [.. diffs.Select(x => a.Contains(x.Key) || b.Contains(x.Key)
            ? x with { Old = x.Old is null ? null : Masked, New = x.New is null ? null : Masked } : x)];
    }
}
