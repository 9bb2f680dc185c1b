namespace EdgeInfra.Lab.FleetRules.Explain;

/// <summary>An explain input that cannot be read: every problem found, each naming its JSON path.</summary>
public sealed class FleetExplainInputException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
