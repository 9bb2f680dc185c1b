using System.Text;
using EdgeInfra.Engine.Config;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Components;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.Ssh;

/// <summary>A throw-away project whose stack <c>edge</c> bootstraps store devices over SSH: the shipped Pulumi.yaml, an
/// inventory of the given stores in one ring, secrets (SSH key, mirror credentials, Fleet registration) set in the
/// stack file, and the <c>edge-infra:bootstrap</c> block naming each store's device.</summary>
internal sealed class BootstrapProject : IDisposable
{
    public const string Stack = "edge";
    public const string Ring = "canary";
    public const string Passphrase = "correct horse battery staple";
    public const string MirrorSecret = "edge-pull:s3cr3t-Mq7vX";
    public const string FleetToken = "fleet-token-Zr81kPq0vT";
    public const string RegistrationValues = $"""
        apiServerURL: https://hub.example.test:6443
        apiServerCA: "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"
        token: {FleetToken}
        clusterNamespace: fleet-default
        systemRegistrationNamespace: cattle-fleet-clusters-system
        """;

    private static readonly Dictionary<string, string> Env = new() { [EnvironmentPassphraseSource.Variable] = Passphrase };
    private readonly TempDirectory _dir = new("edgeinfra-bootstrap-");

    /// <param name="devices">Store id → how its device answers (host, port, pinned host key or null for trust on first use).</param>
    public BootstrapProject(SshDeviceFixture fixture, IReadOnlyList<(string Store, string Host, int Port, string? HostKey)> devices,
        string extraBootstrap = "", int concurrency = 16)
    {
        File.Copy(Path.Combine(RepoPaths.Root, "Pulumi.yaml"), Path.Combine(Dir, "Pulumi.yaml"));
        Directory.CreateDirectory(Path.Combine(Dir, "stacks", Stack));
        var inventory = new StringBuilder("stores:\n");
        foreach (var (store, _, _, _) in devices)
            inventory.Append($"""
                  - id: {store}
                    labels:
                      site-id: {store}
                      region: central-europe
                      country: hu
                      rollout-ring: {Ring}
                      store-format: supermarket
                      traffic-tier: high
                      network-tier: fiber
                      hardware-class: edge-medium
                      maintenance-window: "02-05"
                      registry-zone: eu-central
                      timezone: Europe.Budapest

                """);
        File.WriteAllText(InventoryPath, inventory.ToString());

        var deviceYaml = new StringBuilder();
        foreach (var (store, host, port, hostKey) in devices)
            deviceYaml.Append($"      {store}: {{address: {host}, port: {port}{(hostKey is null ? "" : $", hostKey: \"{hostKey}\"")}}}\n");
        File.WriteAllText(StackFile, $"""
            config:
              edge-infra:fleet:
                repoUrl: http://git.example.test/fleet.git
                k3sVersion: {SshDeviceFixture.StandInVersion}
              edge-infra:rings:
                - name: {Ring}
                  maxUnavailable: "1"
              edge-infra:registryZones:
                eu-central:
                  mirror: https://mirror-eu.example.test:5000
                  upstreams: [registry.example.com, docker.io]
                  authKey: mirrorAuth
              edge-infra:bootstrap:
                privateKeyKey: sshKey
                concurrency: {concurrency}
                retries: 1
                connectTimeout: 5s
                commandTimeout: 1m
                k3s:
                  install: airgap
                  artifacts: {fixture.ArtifactsDir}
                  disable: [traefik, servicelb]
                fleetAgent:
                  registrationKey: fleetRegistration
                devices:
            {deviceYaml}{extraBootstrap}
            """);
        var project = ProjectFile.Load(Path.Combine(Dir, "Pulumi.yaml"));
        var passphrase = new EnvironmentPassphraseSource(name => name == EnvironmentPassphraseSource.Variable ? Passphrase : null);
        StackConfigEditor.Set(project, Stack, "sshKey", fixture.ClientPrivateKey, secret: true, path: false, passphrase);
        StackConfigEditor.Set(project, Stack, "mirrorAuth", MirrorSecret, secret: true, path: false, passphrase);
        StackConfigEditor.Set(project, Stack, "fleetRegistration", RegistrationValues, secret: true, path: false, passphrase);
    }

    public string Dir => _dir.Path;
    public string StackFile => Path.Combine(Dir, $"Pulumi.{Stack}.yaml");
    public string InventoryPath => Path.Combine(Dir, "stacks", Stack, "stores.yaml");

    /// <summary>Runs <c>edgeinfra</c> as a child process (the passphrase is in its environment only).</summary>
    public Task<CliRun> Run(params string[] args) =>
        CliRunner.RunProcessAsync([.. args, "--cwd", Dir], TimeSpan.FromMinutes(3), Env);

    public Task<CliRun> Up() => Run("up", "--stack", Stack, "--ring", Ring, "--yes");

    public Task<CliRun> Refresh(params string[] extra) => Run(["refresh", "--stack", Stack, "--ring", Ring, .. extra]);

    public void Dispose() => _dir.Dispose();
}
