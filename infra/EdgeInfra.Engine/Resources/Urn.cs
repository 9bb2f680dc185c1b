namespace EdgeInfra.Engine.Resources;

/// <summary>A Pulumi-format resource name: <c>urn:pulumi:&lt;stack&gt;::&lt;project&gt;::&lt;Parent$Type&gt;::&lt;name&gt;</c>.</summary>
public readonly record struct Urn(string Value) : IComparable<Urn>
{
    private const string Prefix = "urn:pulumi:";

    public static Urn Create(string stack, string project, string qualifiedType, string name) =>
        new($"{Prefix}{stack}::{project}::{qualifiedType}::{name}");

    /// <summary>The URN of a child: its qualified type is the parent's chain plus <paramref name="type"/>.</summary>
    public static Urn CreateChild(Urn parent, string type, string name) =>
        Create(parent.Stack, parent.Project, parent.IsStackRoot ? type : $"{parent.QualifiedType}${type}", name);

    /// <summary>The <paramref name="index"/>-th <c>::</c>-separated part after the prefix; the last part runs to the end.</summary>
    private string Part(int index)
    {
        var start = Prefix.Length;
        for (var i = 0; i < index; i++) start = Value.IndexOf("::", start, StringComparison.Ordinal) + 2;
        if (index == 3) return Value[start..];
        var end = Value.IndexOf("::", start, StringComparison.Ordinal);
        return Value[start..end];
    }

    public string Stack => Part(0);
    public string Project => Part(1);
    public string QualifiedType => Part(2);
    public string Name => Part(3);

    public string Type
    {
        get
        {
            var q = QualifiedType;
            return q[(q.LastIndexOf('$') + 1)..];
        }
    }
    public bool IsStackRoot => QualifiedType == StackRootType;

    public const string StackRootType = "pulumi:pulumi:Stack";

    /// <summary>The same resource addressed in another stack (used when a resource moves between ring stacks).</summary>
    public Urn WithStack(string stack) => Create(stack, Project, QualifiedType, Name);

    public static bool TryParse(string? text, out Urn urn)
    {
        urn = default;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text[Prefix.Length..].Split("::").Length < 4)
            return false;
        urn = new Urn(text);
        return true;
    }

    public int CompareTo(Urn other) => string.CompareOrdinal(Value, other.Value);
    public override string ToString() => Value;
}
