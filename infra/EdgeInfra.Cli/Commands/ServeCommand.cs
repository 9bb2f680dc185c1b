using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Service;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra serve</c>: the automation service of one stack. CI and the dashboard call its API; rollouts run
/// in it in the background, and resume when it starts again.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port to listen on (port 0 picks a free one); beyond loopback it needs service tokens",
            HelpName = "ADDRESS:PORT",
            DefaultValueFactory = _ => ListenAddress.Default.ToString(),
        };
        var command = new Command("serve", "Run the automation service of a stack: the HTTP API CI and the dashboard use, and rollouts in the background")
        {
            cwd, stack, listen,
        };
        command.SetAction(async (parse, ct) =>
        {
            var address = ListenAddress.TryParse(parse.GetValue(listen)!)
                ?? throw new UsageException($"--listen '{parse.GetValue(listen)}' must be ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
            var target = context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!);
            var settings = target.ServiceSettings();
            var options = new ServiceOptions(target.Name, address, settings);
            using var immediate = DeferredWrites.Immediate();
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = StackApi.Create(options, target, context.Time);
            }
            catch (ServiceStartException e)
            {
                throw new UsageException(e.Message);
            }
            await using (app)
            {
                await app.StartAsync(ct);
                var url = app.Urls.First();
                context.Out.WriteLine($"edgeinfra serve: stack {target.Name} on {url} ({(settings.Tokens.Count == 0 ? "loopback, no tokens" : $"{settings.Tokens.Count} token(s)")}); OpenAPI at {url}/openapi/v1.json");
                context.Out.Flush();
                immediate.CommitHeld();
                ServiceMemory.TrimAfterLoad(context.Time);
                try { await Task.Delay(Timeout.Infinite, ct); }
                catch (OperationCanceledException) { }
                await app.StopAsync(CancellationToken.None);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
