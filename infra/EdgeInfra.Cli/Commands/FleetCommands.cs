using System.CommandLine;

namespace EdgeInfra.Cli.Commands;

/// <summary>The verbs of the <c>edgeinfra</c> command line, in the order <c>--help</c> lists them.</summary>
internal static class FleetCommands
{
    public static IEnumerable<Command> All(CliContext context) =>
    [
        PreviewCommand.Create(context),
        UpCommand.Create(context),
        RolloutCommand.Create(context),
        CatchUpCommand.Create(context),
        RehearseCommand.Create(context),
        RollbackCommand.Create(context),
        FreezeCommand.CreateFreeze(context),
        FreezeCommand.CreateUnfreeze(context),
        HoldCommand.CreateHold(context),
        HoldCommand.CreateUnhold(context),
        AuditCommand.Create(context),
        ReportCommand.Create(context),
        RefreshCommand.Create(context),
        DestroyCommand.Create(context),
        HistoryCommand.Create(context),
        StatusCommand.Create(context),
        StackCommand.Create(context),
        ConfigCommand.Create(context),
        RingsCommand.Create(context),
        InventoryCommand.Create(context),
        FleetExplainCommand.Create(context),
        MirrorCommand.Create(context),
        ServeCommand.Create(context),
    ];
}
