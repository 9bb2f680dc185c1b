using System.CommandLine;
using EdgeInfra.Automation;

namespace EdgeInfra.Cli;

/// <summary>The options several verbs share, defined once so every verb spells them the same way.</summary>
internal static class CommonOptions
{
    public static Option<string?> Cwd() => new("--cwd", "-C")
    {
        Description = "Run as if started in DIR (the directory holding Pulumi.yaml, or below it)",
        HelpName = "DIR",
    };

    public static Option<string> Stack() => new("--stack", "-s")
    {
        Description = "The stack (fleet) to operate on, e.g. lab or prod",
        Required = true,
    };

    public static Option<string?> Ring() => new("--ring", "-r")
    {
        Description = "The rollout ring; the ring stack <stack>.<ring> is operated on",
    };

    public static Option<bool> Json() => new("--json", "-j") { Description = "Print machine-readable JSON" };

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Apply without asking for confirmation" };

    public static Option<bool> AllRings() => new("--all-rings")
    {
        Description = "Apply every ring at once, bypassing the rollout gates (use the rollout host instead)",
    };

    public static Option<bool> Diff() => new("--diff") { Description = "Show property-level diffs" };

    public static Option<string[]> Target() => new("--target", "-t")
    {
        Description = "Only change resources with these URNs (globs * and ** allowed); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<int?> Parallel() => new("--parallel", "-p")
    {
        Description = "Maximum resource operations at once (default 4 × cores)",
    };

    public static Option<string?> Message() => new("--message", "-m") { Description = "Message recorded with the update" };

    public static Option<bool> AllowMassDelete() => new(MassDeleteGuard.Flag)
    {
        Description = $"Allow deleting more than {MassDeleteGuard.ConfigKey} (default {MassDeleteGuard.DefaultPercent} %) of the fleet's stores in one run",
    };

    public static Option<bool> Offline() => new("--offline")
    {
        Description = "Pin app images to the digests recorded in state instead of resolving their tags in the registry",
    };

    public static Option<string?> Plan() => new("--plan")
    {
        Description = "Apply exactly the plan `preview --save-plan` saved; refused (exit 1) if an input or a stack's state moved since",
        HelpName = "FILE",
    };
}
