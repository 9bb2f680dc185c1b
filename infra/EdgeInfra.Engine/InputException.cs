namespace EdgeInfra.Engine;

/// <summary>Bad input (a config file, the inventory, a command-line value): every problem found, each naming its source.</summary>
/// <remarks>The CLI maps it to exit code 2. Derive from it for each kind of input so callers catch one type.</remarks>
public class InputException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    public InputException(string problem) : this([problem]) { }
}
