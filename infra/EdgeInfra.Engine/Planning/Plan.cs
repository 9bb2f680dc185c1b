using System.Collections.Immutable;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Engine.Planning;

/// <summary>The steps that take a stack from its recorded state to its desired state.</summary>
/// <param name="Steps">Creates/updates/moves/sames in desired order, then deletes and move-outs in state order.</param>
/// <param name="PendingOperations">Interrupted operations of an earlier run; <c>up</c> resolves them before planning.</param>
public sealed record Plan(string Stack, ImmutableArray<PlanStep> Steps, IReadOnlyList<PendingOperation> PendingOperations)
{
    private IReadOnlyDictionary<StepOp, int>? _counts;

    /// <summary>Number of steps per op (every op present, zero when unused).</summary>
    public IReadOnlyDictionary<StepOp, int> Counts => _counts ??= Count(Steps);

    public bool HasChanges => Steps.Any(s => s.Op != StepOp.Same);

    /// <summary>Sibling stacks this plan moves resources from or to (their locks are needed to apply it).</summary>
    public IReadOnlySet<string> SiblingStacks =>
        Steps.Where(s => s.OtherStack is not null && (s.Op == StepOp.Move || s.Handover is not null))
            .Select(s => s.OtherStack!).ToHashSet(StringComparer.Ordinal);

    internal static IReadOnlyDictionary<StepOp, int> Count(IEnumerable<PlanStep> steps)
    {
        var counts = Enum.GetValues<StepOp>().ToDictionary(o => o, _ => 0);
        foreach (var s in steps) counts[s.Op]++;
        return counts;
    }
}

/// <summary>A plan that cannot be applied: every problem found (protected resources, bad targets, unknown providers).</summary>
public sealed class PlanException(IReadOnlyList<string> problems) : InputException(problems);
