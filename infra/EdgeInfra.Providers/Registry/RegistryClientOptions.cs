namespace EdgeInfra.Providers.Registry;

/// <summary>How hard a registry client tries: attempts per request, backoff and time limits.</summary>
/// <param name="Attempts">Tries per request (first + retries) on a dropped connection, a timeout, 5xx or 429.</param>
/// <param name="BaseDelay">First retry delay; doubled each retry, with jitter.</param>
/// <param name="RequestTimeout">Time limit of one attempt of a manifest, HEAD or upload-session request.</param>
/// <param name="BlobTimeout">Time limit of one attempt of moving one blob (layers can be hundreds of MB).</param>
/// <param name="BlobConcurrency">Blobs copied at once by one copier.</param>
public sealed record RegistryClientOptions(
    int Attempts = 4,
    TimeSpan? BaseDelay = null,
    TimeSpan? RequestTimeout = null,
    TimeSpan? BlobTimeout = null,
    int BlobConcurrency = 8)
{
    public TimeSpan Delay => BaseDelay ?? TimeSpan.FromMilliseconds(250);
    public TimeSpan Request => RequestTimeout ?? TimeSpan.FromSeconds(30);
    public TimeSpan Blob => BlobTimeout ?? TimeSpan.FromMinutes(15);
}
