using System.CommandLine;
using System.Diagnostics;
using EdgeInfra.Automation;
using EdgeInfra.Automation.Releases;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.State;
using EdgeInfra.Cli.Output;
using EdgeInfra.Components.Model;
using EdgeInfra.Engine.Config;
using EdgeInfra.Providers.Registry;
using EdgeInfra.Rollout.Mirror;
using EdgeInfra.StackInputs;
using Spectre.Console;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra mirror warm|status</c>: copy a ring's release images by digest into the regional mirrors its
/// stores pull through, and show which mirrors serve which digests.</summary>
internal static class MirrorCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("mirror", "Pre-warm and inspect the registry mirrors of the registry zones");
        command.Subcommands.Add(Warm(context));
        command.Subcommands.Add(Status(context));
        return command;
    }

    private static Command Warm(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        ring.Required = true;
        var json = CommonOptions.Json();
        var parallel = new Option<int?>("--parallel", "-p") { Description = "Blobs copied at once (default 8)" };
        var command = new Command("warm",
            "Copy each app image of the ring's release by digest from its upstream into every mirror of the registry zones " +
            "the ring's stores use; images a mirror already serves cost one HEAD each")
        {
            cwd, stack, ring, json, parallel,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (config, model) = await LoadAsync(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time, ct);
            var clock = Stopwatch.StartNew();
            var ringName = RequireRing(model, parse.GetValue(ring)!);
            var targets = MirrorTargets.For(model, model.StoresInRing(ringName));
            var blobs = Math.Max(1, parse.GetValue(parallel) ?? 8);
            using var pool = new RegistryClientPool(new RegistryClientOptions(BlobConcurrency: blobs), context.Time);
            MirrorRegistries registries;
            using (PhaseTimer.Start("read registry config and credentials")) registries = MirrorAccess.Open(config, model, pool, targets.Select(t => t.Zone));
            var warmer = new MirrorWarmer(registries, copyConcurrency: 4, blobConcurrency: blobs);
            IReadOnlyList<MirrorWarmResult> results;
            using (PhaseTimer.Start($"warm {targets.Count} zone × image copies"))
                results = await WithProgress(context, targets.Count, $"warming {ringName}", p => warmer.WarmAsync(targets, p, ct));
            var ordered = results.OrderBy(r => r.Target.Zone.Name, StringComparer.Ordinal).ThenBy(r => r.Target.Image.ToString(), StringComparer.Ordinal).ToList();
            if (parse.GetValue(json))
                JsonOutput.Write(context.Out, new
                {
                    stack = model.Stack,
                    ring = ringName,
                    seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
                    copies = ordered.Select(r => new
                    {
                        zone = r.Target.Zone.Name,
                        app = r.Target.App,
                        image = r.Target.Image.ToString(),
                        mirror = $"{r.Target.Zone.Mirror.TrimEnd('/')}/{r.Target.MirrorRepository}",
                        digest = r.Copy?.Digest,
                        alreadyPresent = r.Copy?.AlreadyPresent,
                        manifestsCopied = r.Copy?.ManifestsCopied,
                        blobsCopied = r.Copy?.BlobsCopied,
                        blobsMounted = r.Copy?.BlobsMounted,
                        blobsPresent = r.Copy?.BlobsPresent,
                        bytesCopied = r.Copy?.BytesCopied,
                        error = r.Error,
                    }),
                });
            else
                WriteWarm(context.Console, model.Stack, ringName, ordered, clock.Elapsed);
            foreach (var failed in ordered.Where(r => !r.Succeeded))
                context.Error.WriteLine($"error: mirror warm: zone {failed.Target.Zone.Name}, image {failed.Target.Image}: {failed.Error}");
            return ordered.All(r => r.Succeeded) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static Command Status(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        var json = CommonOptions.Json();
        var command = new Command("status", "Show, per registry zone × release image, whether the zone's mirror serves the upstream digest")
        {
            cwd, stack, ring, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (config, model) = await LoadAsync(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time, ct);
            var rings = parse.GetValue(ring) is { } r
                ? [RequireRing(model, r)]
                : model.Rings.OrderBy(x => x.Order).Select(x => x.Name).ToList();
            var targets = rings.Select(name => (Ring: name, Targets: MirrorTargets.For(model, model.StoresInRing(name)))).ToList();
            using var pool = new RegistryClientPool(null, context.Time);
            var inspector = new MirrorInspector(MirrorAccess.Open(config, model, pool, targets.SelectMany(t => t.Targets).Select(t => t.Zone)));
            var perRing = new List<(string Ring, IReadOnlyList<MirrorObservation> Observations)>();
            foreach (var (name, ringTargets) in targets)
                perRing.Add((name, await inspector.InspectAsync(ringTargets, ct)));
            if (parse.GetValue(json))
                JsonOutput.Write(context.Out, new
                {
                    stack = model.Stack,
                    rings = perRing.Select(p => new
                    {
                        ring = p.Ring,
                        serves = p.Observations.All(o => o.State == MirrorState.Serves),
                        images = p.Observations.Select(o => new
                        {
                            zone = o.Target.Zone.Name,
                            app = o.Target.App,
                            image = o.Target.Image.ToString(),
                            mirror = $"{o.Target.Zone.Mirror.TrimEnd('/')}/{o.Target.MirrorRepository}",
                            state = o.State,
                            digest = o.Digest,
                            mirrorDigest = o.MirrorDigest,
                            detail = o.Detail,
                            stores = o.Target.Stores.Count,
                        }),
                    }),
                });
            else
                foreach (var (name, observations) in perRing) WriteStatus(context.Console, name, observations);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The stack's config and model, each app image pinned to the digest its rings recorded at this version
    /// (a release not applied yet is warmed and checked by its tag, as <c>up</c> will resolve it).</summary>
    private static async Task<(StackConfig Config, FleetModel Model)> LoadAsync(string? cwd, string stack, TimeProvider time, CancellationToken ct)
    {
        using var timer = PhaseTimer.Start("load stack config and inventory");
        var project = ProjectLocator.Load(CliPaths.Cwd(cwd));
        var config = StackConfigLoader.Load(project, stack, new EnvironmentPassphraseSource());
        // Override expiry is preview's and up's concern: an expired override must not stop images reaching mirrors.
        var fleet = FleetLoader.Load(project.ProjectDir, config, DateOnly.MinValue, Path.Combine(project.StateRoot, "cache", "inventory", stack));
        fleet.CommitWrites();
        var backend = new FileStateBackend(project.StateRoot, project.Name, time, config.Secrets);
        var pins = await ReleasePinner.PinAsync(config, project.ProjectDir, backend, fleet.Model, ImagePinning.Recorded, ct);
        return (config, PinnedImages.Apply(fleet.Model, pins.Digests));
    }

    private static string RequireRing(FleetModel model, string ring) =>
        model.Rings.Any(r => r.Name == ring)
            ? ring
            : throw new UsageException($"unknown ring '{ring}' in stack '{model.Stack}'; rings are: {string.Join(", ", model.Rings.OrderBy(r => r.Order).Select(r => r.Name))}");

    private static async Task<IReadOnlyList<MirrorWarmResult>> WithProgress(CliContext context, int total, string label,
        Func<IProgress<MirrorWarmResult>?, Task<IReadOnlyList<MirrorWarmResult>>> run)
    {
        if (!context.Console.Profile.Capabilities.Interactive || total == 0) return await run(null);
        IReadOnlyList<MirrorWarmResult> results = [];
        await context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: total);
                var progress = new Progress<MirrorWarmResult>(r =>
                {
                    task.Increment(1);
                    task.Description = Markup.Escape($"{label}: {r.Target}");
                });
                results = await run(progress);
                task.Value = total;
            });
        return results;
    }

    private static void WriteWarm(IAnsiConsole console, string stack, string ring, IReadOnlyList<MirrorWarmResult> results, TimeSpan elapsed)
    {
        console.MarkupLineInterpolated($"[bold]Mirror warm ({stack}.{ring})[/]: {results.Count} zone × image copies in {elapsed.TotalSeconds:0.00} s");
        if (results.Count == 0) console.MarkupLine("  no release image is pulled through a mirror in this ring's zones");
        foreach (var r in results)
        {
            if (r.Copy is { } c)
            {
                var what = c.AlreadyPresent
                    ? "already served (HEAD only)"
                    : $"copied {c.ManifestsCopied} manifest(s), {c.BlobsCopied} blob(s) ({FormatBytes(c.BytesCopied)})" +
                      (c.BlobsMounted > 0 ? $", mounted {c.BlobsMounted}" : "") + (c.BlobsPresent > 0 ? $", {c.BlobsPresent} present" : "");
                console.MarkupLineInterpolated($"  [green]✓[/] {r.Target.Zone.Name} × {r.Target.Image} [grey]{Short(c.Digest)}[/] {what}");
            }
            else
            {
                console.MarkupLineInterpolated($"  [red]✗[/] {r.Target.Zone.Name} × {r.Target.Image}: {r.Error}");
            }
        }
        var failed = results.Count(r => !r.Succeeded);
        if (failed > 0) console.MarkupLineInterpolated($"[red]{failed} of {results.Count} copies failed[/]");
    }

    private static void WriteStatus(IAnsiConsole console, string ring, IReadOnlyList<MirrorObservation> observations)
    {
        console.MarkupLineInterpolated($"[bold]Mirrors of ring {ring}[/]: {observations.Count(o => o.State == MirrorState.Serves)} of {observations.Count} zone × image served");
        if (observations.Count == 0) return;
        var table = new Table().Border(TableBorder.Simple).AddColumns("zone", "image", "digest", "state");
        foreach (var o in observations.OrderBy(o => o.Target.Zone.Name, StringComparer.Ordinal).ThenBy(o => o.Target.Image.ToString(), StringComparer.Ordinal))
        {
            var state = o.State switch
            {
                MirrorState.Serves => "[green]serves[/]",
                MirrorState.Missing => "[yellow]missing[/]",
                _ => $"[red]{Markup.Escape(Kebab(o.State))}[/]",
            };
            var detail = o.Detail is null ? "" : $" [grey]{Markup.Escape(o.Detail)}[/]";
            table.AddRow(Markup.Escape(o.Target.Zone.Name), Markup.Escape(o.Target.Image.ToString()), Markup.Escape(Short(o.Digest)), state + detail);
        }
        console.Write(table);
    }

    private static string Kebab(MirrorState state) => state switch
    {
        MirrorState.MirrorUnreachable => "mirror-unreachable",
        MirrorState.UpstreamUnreachable => "upstream-unreachable",
        MirrorState.UpstreamMissing => "upstream-missing",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Short(string? digest) => digest is { Length: > 19 } ? digest[..19] : digest ?? "-";

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.0} MiB",
    };
}
