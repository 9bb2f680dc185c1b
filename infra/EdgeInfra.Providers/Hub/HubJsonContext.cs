using System.Text.Json.Serialization;

namespace EdgeInfra.Providers.Hub;

/// <summary>Source-generated System.Text.Json metadata for the hub list pages the client reads.</summary>
/// <remarks>
/// The hub types hold only the fields the rollout host reads, so every other field of a Fleet object is skipped by the
/// reader without being materialised; the metadata is generated at build time rather than reflected at the first read.
/// </remarks>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(HubList<HubCluster>))]
[JsonSerializable(typeof(HubList<HubGitRepo>))]
[JsonSerializable(typeof(HubList<HubBundle>))]
[JsonSerializable(typeof(HubList<HubBundleDeployment>))]
internal sealed partial class HubJsonContext : JsonSerializerContext;
