using System.Text.RegularExpressions;

namespace EdgeInfra.Engine.Config;

/// <summary>Checks stack names, which become file names (<c>Pulumi.&lt;stack&gt;.yaml</c>) and so must not hold path characters.</summary>
internal static partial class StackNames
{
    public static void Validate(string stack)
    {
        if (!Pattern().IsMatch(stack) || stack.Length > 100)
            throw new ConfigException(
                $"invalid stack name '{stack}': use letters, digits, '-', '_' and '.' (at most 100 characters)");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9_.-]*\z")]
    private static partial Regex Pattern();
}
