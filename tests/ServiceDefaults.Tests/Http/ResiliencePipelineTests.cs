using System.Net;
using System.Net.Sockets;
using McpPlatform.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.ServiceDefaults.Tests.Http;

public sealed class ResiliencePipelineTests
{
    [Fact]
    public async Task IdempotentRequest_IsRetriedAfterTransientFailure_PostIsNot()
    {
        var gets = 0;
        var posts = 0;
        await using var flaky = await TestService.StartAsync("flaky", app =>
        {
            app.MapGet("/flaky", () => Interlocked.Increment(ref gets) < 3 ? Results.StatusCode(503) : Results.Ok("done"));
            app.MapPost("/flaky", () =>
            {
                Interlocked.Increment(ref posts);
                return Results.StatusCode(503);
            });
        });
        await using var caller = await TestService.StartAsync("caller", _ => { },
            new Dictionary<string, string?> { ["services:flaky:http:0"] = flaky.Address.ToString() });
        var client = caller.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        using var get = await client.GetAsync("http://flaky/flaky");
        using var post = await client.PostAsync("http://flaky/flaky", new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(3, gets);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal(1, posts);
    }

    [Fact]
    public async Task UnreachableService_FailsWithHttpRequestException_AfterRetries()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var caller = await TestService.StartAsync("caller", _ => { },
            new Dictionary<string, string?> { ["services:gone:http:0"] = $"http://127.0.0.1:{port}" });
        var client = caller.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://gone/"));
    }
}
