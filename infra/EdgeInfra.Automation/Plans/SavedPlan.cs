using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeInfra.Engine;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Automation.Plans;

/// <summary>A reviewed preview saved to a file, as Terraform's saved plans and Pulumi's update plans: what it changes
/// and a fingerprint of every input and of each engine stack's state, so an <c>up</c> or rollout started from it applies
/// exactly that or is refused.</summary>
/// <param name="Format">The file's format, <see cref="CurrentFormat"/>.</param>
/// <param name="SourceCommit">The config repository's commit the preview ran on (<c>-dirty</c> with local edits).</param>
/// <param name="Ring">The ring previewed, or null for every ring.</param>
/// <param name="Inputs">The stack's input files, project-relative, with their SHA-256.</param>
/// <param name="Stacks">Each engine stack the plan covers, base stack first.</param>
public sealed record SavedPlan(
    string Format,
    string Project,
    string Stack,
    DateTimeOffset Created,
    string CreatedBy,
    string SourceCommit,
    string? Ring,
    IReadOnlyList<PlanInput> Inputs,
    IReadOnlyList<PlannedStack> Stacks)
{
    public const string CurrentFormat = "edgeinfra-plan/1";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes the plan in one atomic replace.</summary>
    public void Save(string path) => AtomicFile.Write(path, s => JsonSerializer.Serialize(s, this, Json));

    /// <summary>Reads a plan file.</summary>
    /// <exception cref="InputException">The file is missing, not a plan, or of another format.</exception>
    public static SavedPlan Load(string path)
    {
        if (!File.Exists(path)) throw new InputException([$"{path}: no such plan file"]);
        try { return Parse(File.ReadAllBytes(path), path); }
        catch (IOException e) { throw new InputException([$"{path}: {e.Message}"]); }
    }

    /// <summary>Reads a plan from its JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InputException">Not a plan, or of another format.</exception>
    public static SavedPlan Parse(ReadOnlySpan<byte> json, string source)
    {
        SavedPlan? plan;
        try { plan = JsonSerializer.Deserialize<SavedPlan>(json, Json); }
        catch (JsonException e) { throw new InputException([$"{source}: not a saved plan: {e.Message}"]); }
        var problems = new List<string>();
        if (plan is null) problems.Add($"{source}: not a saved plan");
        else
        {
            if (plan.Format != CurrentFormat) problems.Add($"{source}: format '{plan.Format}' is not {CurrentFormat}; save the plan again with this edgeinfra");
            if (string.IsNullOrEmpty(plan.Stack) || string.IsNullOrEmpty(plan.Project)) problems.Add($"{source}: names no project or stack");
            if (plan.Inputs is null || plan.Stacks is null || plan.Stacks.Count == 0) problems.Add($"{source}: lists no inputs or stacks");
        }
        if (problems.Count > 0) throw new InputException(problems);
        return plan!;
    }
}

/// <summary>One input file of a plan and its SHA-256.</summary>
public sealed record PlanInput(string Path, string Sha256);

/// <summary>One engine stack of a plan: what it renders (<paramref name="Desired"/>, see
/// <see cref="DesiredStackDigest"/>), the history version of the state it was planned against, and its changes.</summary>
/// <param name="StateVersion">The stack's last history version when planned; 0 for a stack never updated.</param>
/// <param name="Changes">Resources per step (create, update, replace, delete, move).</param>
public sealed record PlannedStack(
    string Stack,
    string? Ring,
    string Desired,
    int StateVersion,
    IReadOnlyList<string> Releases,
    IReadOnlyDictionary<string, int> Changes,
    int StoresReached);
