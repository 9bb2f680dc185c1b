namespace EdgeInfra.Automation.Plans;

/// <summary>A saved plan no longer matches its stack: an input or a stack's state moved since the preview, so applying
/// would not apply what was reviewed.</summary>
public sealed class PlanStaleException(string stack, IReadOnlyList<string> moved)
    : Exception($"stack {stack}: the saved plan is out of date, so nothing was applied: {string.Join("; ", moved)}. Preview again and review the new plan")
{
    /// <summary>What moved since the preview, one item each.</summary>
    public IReadOnlyList<string> Moved { get; } = moved;
}
