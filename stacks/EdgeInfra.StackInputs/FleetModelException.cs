using EdgeInfra.Engine;

namespace EdgeInfra.StackInputs;

/// <summary>The inventory or stack config cannot become a fleet model: every problem found, each with file:line.</summary>
public sealed class FleetModelException(IReadOnlyList<string> problems) : InputException(problems);
