namespace EdgeInfra.Components.Rendering;

/// <summary>Rendering failed; <see cref="Problems"/> lists every problem found, each naming its source.</summary>
public sealed class FleetRenderException(IReadOnlyList<string> problems)
    : Exception("Fleet rendering failed:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
