using EdgeInfra.Automation;
using System.CommandLine;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra config set|get</c>: edits and reads <c>Pulumi.&lt;stack&gt;.yaml</c> as <c>pulumi config</c> does.</summary>
internal static class ConfigCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("config", "Read and change a stack's configuration (Pulumi.<stack>.yaml)");
        command.Subcommands.Add(Set(context));
        command.Subcommands.Add(Get(context));
        return command;
    }

    private static Command Set(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var key = new Argument<string>("key") { Description = "The key, e.g. fleet.pollingInterval or apps.pos-app.version (with --path)" };
        var value = new Argument<string>("value") { Description = "The value; with --secret it is encrypted with the stack's passphrase" };
        var secret = new Option<bool>("--secret") { Description = "Encrypt the value (needs EDGEINFRA_CONFIG_PASSPHRASE)" };
        var path = new Option<bool>("--path") { Description = "Treat the key as a path into structured config (a.b[0].c)" };
        var command = new Command("set", "Set a configuration value") { cwd, stack, key, value, secret, path };
        command.SetAction(parse =>
        {
            var project = ProjectLocator.Load(CliPaths.Cwd(parse.GetValue(cwd)));
            StackConfigEditor.Set(project, parse.GetValue(stack)!, parse.GetValue(key)!, parse.GetValue(value)!,
                parse.GetValue(secret), parse.GetValue(path), new EnvironmentPassphraseSource());
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var key = new Argument<string>("key") { Description = "The key, e.g. fleet or apps.pos-app.version (with --path)" };
        var path = new Option<bool>("--path") { Description = "Treat the key as a path into structured config" };
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Decrypt secret values (needs the passphrase)" };
        var command = new Command("get", "Print a configuration value") { cwd, stack, key, path, showSecrets };
        command.SetAction(parse =>
        {
            var project = ProjectLocator.Load(CliPaths.Cwd(parse.GetValue(cwd)));
            var value = StackConfigEditor.Get(project, parse.GetValue(stack)!, parse.GetValue(key)!, parse.GetValue(path),
                parse.GetValue(showSecrets), new EnvironmentPassphraseSource());
            if (value is null)
            {
                context.Error.WriteLine($"error: configuration key '{parse.GetValue(key)}' not found for stack '{parse.GetValue(stack)}'");
                return ExitCodes.Failure;
            }
            context.Out.WriteLine(value);
            return ExitCodes.Success;
        });
        return command;
    }
}
