namespace EdgeInfra.Providers.FleetRepo;

/// <summary>A fleet repo operation (fetch, push, read) failed; the message names the scrubbed remote and the cause.</summary>
/// <remarks>
/// Never carries the libgit2 exception as <see cref="Exception.InnerException"/>: its message may hold the remote URL with
/// credentials, and whoever logs <c>ToString()</c> would print it. The cause is copied into the message, scrubbed.
/// </remarks>
public sealed class FleetRepoException(string message) : Exception(message);
