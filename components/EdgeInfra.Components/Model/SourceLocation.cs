namespace EdgeInfra.Components.Model;

/// <summary>A file and 1-based line that a model element came from, for error messages.</summary>
public sealed record SourceLocation(string File, int Line)
{
    public static readonly SourceLocation Unknown = new("<unknown>", 0);
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
