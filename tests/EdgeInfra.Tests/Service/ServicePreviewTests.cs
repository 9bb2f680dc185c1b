using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeInfra.Tests.Rollout.EndToEnd;

namespace EdgeInfra.Tests.Service;

/// <summary>The service's preview route, as CI calls it: JSON by default, the pull-request comment when asked.</summary>
public sealed class ServicePreviewTests
{
    [Fact]
    public async Task Preview_FormatMarkdown_AnswersTheCommentTheCliWritesAndJsonOtherwise()
    {
        using var lab = await SmallLab.CreateAsync(12);
        await using var service = await ServiceProcess.StartAsync(lab.Dir);
        using var http = service.Client();

        using var byQuery = await http.PostAsJsonAsync("api/v1/previews?format=markdown", new { ring = "retail-region-1" });
        using var byBody = await http.PostAsJsonAsync("api/v1/previews", new { format = "markdown" });
        using var json = await http.PostAsJsonAsync("api/v1/previews", new { });
        using var unknown = await http.PostAsJsonAsync("api/v1/previews?format=html", new { });

        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal("text/markdown", byQuery.Content.Headers.ContentType?.MediaType);
        var ring = await byQuery.Content.ReadAsStringAsync();
        Assert.StartsWith("<!-- edgeinfra-preview:lab -->\n", ring, StringComparison.Ordinal);
        Assert.Contains("| `lab.retail-region-1` |", ring, StringComparison.Ordinal);
        Assert.DoesNotContain("lab.retail-region-2", ring, StringComparison.Ordinal);
        var all = await byBody.Content.ReadAsStringAsync();
        Assert.Contains("| `retail-region-2` |", all, StringComparison.Ordinal);
        Assert.Contains("<details><summary>Full diff:", all, StringComparison.Ordinal);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        var stacks = (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stacks");
        Assert.Equal(4, stacks.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("html", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
