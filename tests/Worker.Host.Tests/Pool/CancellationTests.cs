using System.Text;
using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Tests.Infrastructure;

namespace McpPlatform.Worker.Host.Tests.Pool;

public sealed class CancellationTests
{
    [Fact(Timeout = 60_000)]
    public async Task TryCancel_AnswersTheCallAndKeepsTheProcess()
    {
        await using var pool = new TestPool(TestPool.Echo(maxSlots: 1));
        var pid = await pool.WhoAmIAsync("echo");
        await using var lease = await pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None);
        var call = lease.SendAsync(TestPool.Call("c-1", "sleep", new { ms = 60_000 }), null, CancellationToken.None).AsTask();

        Assert.False(lease.TryCancel("\"other\""u8, "not mine"));
        Assert.True(lease.TryCancel("\"c-1\""u8, "user pressed stop"));

        using var response = await call;
        Assert.Equal(RpcFailure.Cancelled, response.Failure);
        Assert.Equal("The request was cancelled by the client.", response.FailureMessage);
        Assert.Contains("\"id\":\"c-1\"", TestPool.Raw(response), StringComparison.Ordinal);
        using var next = await lease.SendAsync(TestPool.Call(2, "whoami"), null, CancellationToken.None);
        Assert.Equal(pid, TestPool.Who(next).GetProperty("pid").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task CancelledNotification_IsMappedToTheUpstreamId()
    {
        await using var pool = new TestPool(TestPool.Echo(maxSlots: 1));
        var pid = await pool.WhoAmIAsync("echo");
        await using var lease = await pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None);
        var call = lease.SendAsync(TestPool.Call(77, "sleep", new { ms = 60_000 }), null, CancellationToken.None).AsTask();

        await lease.SendNotificationAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":77,"reason":"bored"}}"""), CancellationToken.None);

        using var response = await call;
        Assert.Equal(RpcFailure.Cancelled, response.Failure);
        Assert.Contains("\"id\":77,", TestPool.Raw(response), StringComparison.Ordinal);
        using var next = await lease.SendAsync(TestPool.Call(2, "whoami"), null, CancellationToken.None);
        Assert.Equal(pid, TestPool.Who(next).GetProperty("pid").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task CallersToken_CancelsTheCallAndTheSlotStaysUsable()
    {
        await using var pool = new TestPool(TestPool.Echo(maxSlots: 1));
        var pid = await pool.WhoAmIAsync("echo");
        using var cts = new CancellationTokenSource();
        await using var lease = await pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None);
        var call = lease.SendAsync(TestPool.Call(1, "sleep", new { ms = 60_000 }), null, cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        using var next = await lease.SendAsync(TestPool.Call(2, "whoami"), null, CancellationToken.None);
        Assert.Equal(pid, TestPool.Who(next).GetProperty("pid").GetInt32());
    }
}
