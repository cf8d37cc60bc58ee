using McpPlatform.Worker.Host.Pool;
using McpPlatform.Worker.Host.Tests.Infrastructure;

namespace McpPlatform.Worker.Host.Tests.Pool;

public sealed class BadInputTests
{
    private const string AnswerInitialize =
        """read l; echo '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"x","version":"1"}}}'; read l; """;

    [Fact(Timeout = 60_000)]
    public async Task MalformedJsonFromServer_FailsTheCallWithAProtocolError()
    {
        await using var pool = new TestPool(TestPool.Script("bad", AnswerInitialize + "read l; echo 'this is {not json'; sleep 60"));

        using var response = await pool.CallAsync("bad", "t", TestPool.Call(1, "x"));

        Assert.Equal(RpcFailure.ProtocolViolation, response.Failure);
        Assert.Contains("not a JSON-RPC message", TestPool.Raw(response), StringComparison.Ordinal);
        Assert.Contains("\"id\":1,", TestPool.Raw(response), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task OversizedLineFromServer_FailsTheCallWithAProtocolError()
    {
        var script = TestPool.Script("big", AnswerInitialize + "read l; head -c 3000000 /dev/zero | tr '\\0' 'a'; sleep 60");
        script.MaxLineBytes = 1024 * 1024;
        await using var pool = new TestPool(script);

        using var response = await pool.CallAsync("big", "t", TestPool.Call("x", "x"));

        Assert.Equal(RpcFailure.ProtocolViolation, response.Failure);
        Assert.Contains("longer than 1048576 bytes", TestPool.Raw(response), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ServerThatNeverAnswersInitialize_FailsWithAStartError()
    {
        var script = TestPool.Script("mute", "cat > /dev/null");
        script.InitializeTimeout = TimeSpan.FromSeconds(1);
        await using var pool = new TestPool(script);

        using var response = await pool.CallAsync("mute", "t", TestPool.Call(1, "x"));

        Assert.Equal(RpcFailure.StartFailed, response.Failure);
        Assert.Contains("did not answer initialize within 1 s", TestPool.Raw(response), StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("/nonexistent/mcp-server", "does not exist")]
    [InlineData("definitely-not-a-command-4711", "was not found on PATH")]
    public async Task CommandThatDoesNotExist_FailsFastWithAStartError(string command, string expected)
    {
        var server = TestPool.Script("missing", string.Empty);
        server.Command = command;
        server.Args = [];
        await using var pool = new TestPool(server);

        using var first = await pool.CallAsync("missing", "t", TestPool.Call(1, "x"));
        using var second = await pool.CallAsync("missing", "t", TestPool.Call(2, "x"));

        Assert.Equal(RpcFailure.StartFailed, first.Failure);
        Assert.Contains(expected, TestPool.Raw(first), StringComparison.Ordinal);
        Assert.Equal(RpcFailure.StartFailed, second.Failure);
    }

    [Fact(Timeout = 60_000)]
    public async Task ProcessExitingDuringInitialize_ReportsItsStderr()
    {
        await using var pool = new TestPool(TestPool.Script("dies", "echo 'missing API key' >&2; exit 2"));

        using var response = await pool.CallAsync("dies", "t", TestPool.Call(1, "x"));

        Assert.Equal(RpcFailure.StartFailed, response.Failure);
        Assert.Contains("missing API key", TestPool.Raw(response), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task UnknownServer_IsANamedError()
    {
        await using var pool = new TestPool(TestPool.Echo());

        var error = await Assert.ThrowsAsync<WorkerPoolException>(() => pool.Pool.AcquireAsync("nope", "t", null, CancellationToken.None).AsTask());

        Assert.Equal(PoolError.UnknownServer, error.Error);
    }

    [Fact(Timeout = 60_000)]
    public async Task AllSlotsBusy_AcquireAnswersBusyAfterItsTimeout()
    {
        var echo = TestPool.Echo(maxSlots: 1);
        echo.AcquireTimeout = TimeSpan.FromMilliseconds(300);
        await using var pool = new TestPool(echo);
        await using var held = await pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<WorkerPoolException>(() => pool.Pool.AcquireAsync("echo", "t", null, CancellationToken.None).AsTask());

        Assert.Equal(PoolError.Busy, error.Error);
        using var response = await held.SendAsync(TestPool.Call(1, "whoami"), null, CancellationToken.None);
        pool.SeenPids.Add(TestPool.Who(response).GetProperty("pid").GetInt32());
    }
}
