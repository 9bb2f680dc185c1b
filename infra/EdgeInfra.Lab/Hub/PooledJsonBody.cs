using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace EdgeInfra.Lab.Hub;

/// <summary>A JSON response body in a buffer rented from the shared pool, returned to it once the body is written.</summary>
/// <remarks>A list page of 5,000 objects is megabytes: a fresh array per answer (a rollout's reads make thousands) went
/// to the large-object heap, and each one counted toward a full collection of a process whose heap holds the fleet.</remarks>
internal sealed class PooledJsonBody : IResult
{
    private byte[]? _buffer;

    public PooledJsonBody(ReadOnlySpan<byte> json)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(json.Length, 1));
        json.CopyTo(_buffer);
        _length = json.Length;
    }

    private readonly int _length;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var buffer = Interlocked.Exchange(ref _buffer, null) ?? throw new InvalidOperationException("the body was written already");
        try
        {
            httpContext.Response.ContentType = "application/json";
            httpContext.Response.ContentLength = _length;
            await httpContext.Response.Body.WriteAsync(buffer.AsMemory(0, _length), httpContext.RequestAborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
