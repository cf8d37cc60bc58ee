using System.Text;
using McpPlatform.Redis.Tests.Infrastructure;
using McpPlatform.Stores.Events;
using McpPlatform.Stores.Sessions;

namespace McpPlatform.Redis.Tests.Stores;

public abstract class SessionEventLogContract : StoreContract
{
    private static ReadOnlyMemory<byte> Json(int n) => Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"n\":" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}");

    private static int NumberOf(SessionEvent e) => int.Parse(Encoding.UTF8.GetString(e.Message.Span).Split("\"n\":")[1].TrimEnd('}'), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task AppendedEvents_HaveIncreasingIdsAndReadBackInOrder()
    {
        var log = (await Backend.CreateReplicaAsync()).Events;
        var session = SessionIds.New();

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await log.AppendAsync(session, "get", Json(i)));
        }

        var all = await log.ReadAfterAsync(session, "get", afterId: null, maxCount: 100);
        Assert.True(all.IsContinuous);
        Assert.Equal(ids, all.Events.Select(e => e.Id));
        Assert.Equal(Enumerable.Range(0, 20), all.Events.Select(NumberOf));
        Assert.Equal(ids.Order(StringComparer.Ordinal).Count(), ids.Distinct().Count());
        Assert.InRange(all.Events[0].Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var page = await log.ReadAfterAsync(session, "get", ids[4], maxCount: 3);
        Assert.Equal(ids[5..8], page.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task ClientResumesWithLastEventIdOnAnotherReplica_GetsExactlyWhatItMissed()
    {
        var (first, second) = (await Backend.CreateReplicaAsync(), await Backend.CreateReplicaAsync());
        var session = SessionIds.New();
        for (var i = 0; i < 3; i++)
        {
            await first.Events.AppendAsync(session, "get", Json(i));
        }

        var seen = await first.Events.ReadAfterAsync(session, "get", null, 100);
        var lastEventId = SseEventId.Format("get", seen.Events[^1].Id);
        for (var i = 3; i < 6; i++)
        {
            await first.Events.AppendAsync(session, "get", Json(i));
        }

        Assert.True(SseEventId.TryParse(lastEventId, out var stream, out var entryId));
        var resumed = await second.Events.ReadAfterAsync(session, stream, entryId, 100);

        Assert.True(resumed.IsContinuous);
        Assert.Equal([3, 4, 5], resumed.Events.Select(NumberOf));
    }

    [Fact]
    public async Task ResumingFromATrimmedId_IsReportedAsNotContinuous()
    {
        var log = (await Backend.CreateReplicaAsync()).Events;
        var session = SessionIds.New();
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await log.AppendAsync(session, "get", Json(i)));
        }

        Assert.Equal(7, await log.TrimAsync(session, "get", TimeSpan.FromHours(1), maxLength: 3));

        var afterTrimmed = await log.ReadAfterAsync(session, "get", ids[2], 100);
        Assert.False(afterTrimmed.IsContinuous);
        Assert.Equal(ids[7..], afterTrimmed.Events.Select(e => e.Id));
        var afterKept = await log.ReadAfterAsync(session, "get", ids[7], 100);
        Assert.True(afterKept.IsContinuous);
        Assert.Equal(ids[8..], afterKept.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task ResumingFromTheLastIdAfterEverythingWasTrimmed_IsContinuousAndEmpty()
    {
        var log = (await Backend.CreateReplicaAsync()).Events;
        var session = SessionIds.New();
        string last = "";
        for (var i = 0; i < 3; i++)
        {
            last = await log.AppendAsync(session, "get", Json(i));
        }

        await log.TrimAsync(session, "get", TimeSpan.FromHours(1), maxLength: 0);
        var result = await log.ReadAfterAsync(session, "get", last, 100);

        Assert.True(result.IsContinuous);
        Assert.Empty(result.Events);
    }

    [Fact]
    public async Task IdNeverIssuedOnThatStream_IsNotContinuous()
    {
        var log = (await Backend.CreateReplicaAsync()).Events;
        var session = SessionIds.New();
        var first = await log.AppendAsync(session, "get", Json(0));
        await Task.Delay(5);
        await log.AppendAsync(session, "get", Json(1));
        var neverIssued = first.Split('-')[0] + "-999";

        var result = await log.ReadAfterAsync(session, "get", neverIssued, 100);

        Assert.False(result.IsContinuous);
        Assert.Equal([1], result.Events.Select(NumberOf));
        Assert.False((await log.ReadAfterAsync(session, "other", first, 100)).IsContinuous);
        Assert.Empty((await log.ReadAfterAsync(session, "other", null, 100)).Events);
    }

    [Fact]
    public async Task Waiter_WakesWhenAnotherReplicaAppends()
    {
        var (reader, writer) = (await Backend.CreateReplicaAsync(), await Backend.CreateReplicaAsync());
        var session = SessionIds.New();
        var last = await writer.Events.AppendAsync(session, "get", Json(0));

        var waiting = reader.Events.WaitAfterAsync(session, "get", last, 10, TimeSpan.FromSeconds(10)).AsTask();
        Assert.False(waiting.IsCompleted);
        await writer.Events.AppendAsync(session, "get", Json(1));
        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(result.IsContinuous);
        Assert.Equal([1], result.Events.Select(NumberOf));
    }

    [Fact]
    public async Task WaiterOnANewStream_WakesOnItsFirstEvent()
    {
        var (reader, writer) = (await Backend.CreateReplicaAsync(), await Backend.CreateReplicaAsync());
        var session = SessionIds.New();

        var waiting = reader.Events.WaitAfterAsync(session, "get", null, 10, TimeSpan.FromSeconds(10)).AsTask();
        await writer.Events.AppendAsync(session, "get", Json(7));

        Assert.Equal([7], (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Events.Select(NumberOf));
    }

    [Fact]
    public async Task WaiterWithNothingNew_ReturnsEmptyAfterTheWait()
    {
        var log = (await Backend.CreateReplicaAsync()).Events;
        var session = SessionIds.New();
        var last = await log.AppendAsync(session, "get", Json(0));

        var result = await log.WaitAfterAsync(session, "get", last, 10, TimeSpan.FromMilliseconds(100));

        Assert.True(result.IsContinuous);
        Assert.Empty(result.Events);
    }

    [Fact]
    public async Task CancelledWaiter_Throws()
    {
        var log = (await Backend.CreateReplicaAsync()).Events;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await log.WaitAfterAsync(SessionIds.New(), "get", null, 10, TimeSpan.FromSeconds(30), cancel.Token));
    }

    [Fact]
    public async Task TrimByAge_DropsOnlyOldEvents()
    {
        var log = (await Backend.CreateReplicaAsync()).Events;
        var session = SessionIds.New();
        await log.AppendAsync(session, "get", Json(0));
        await log.AppendAsync(session, "get", Json(1));
        await Task.Delay(1500);
        await log.AppendAsync(session, "get", Json(2));

        Assert.Equal(2, await log.TrimAsync(session, "get", TimeSpan.FromSeconds(1), maxLength: 100));
        Assert.Equal([2], (await log.ReadAfterAsync(session, "get", null, 100)).Events.Select(NumberOf));
    }

    [Fact]
    public async Task DeletedSession_LosesEveryStream()
    {
        var log = (await Backend.CreateReplicaAsync()).Events;
        var (session, other) = (SessionIds.New(), SessionIds.New());
        await log.AppendAsync(session, "get", Json(0));
        await log.AppendAsync(session, "post-1", Json(1));
        await log.AppendAsync(other, "get", Json(2));

        await log.DeleteSessionAsync(session);

        Assert.Empty((await log.ReadAfterAsync(session, "get", null, 10)).Events);
        Assert.Empty((await log.ReadAfterAsync(session, "post-1", null, 10)).Events);
        Assert.Single((await log.ReadAfterAsync(other, "get", null, 10)).Events);
    }

    [Fact]
    public async Task BinaryPayload_RoundTripsUnchanged()
    {
        var log = (await Backend.CreateReplicaAsync()).Events;
        var session = SessionIds.New();
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        await log.AppendAsync(session, "get", payload);

        Assert.Equal(payload, (await log.ReadAfterAsync(session, "get", null, 1)).Events[0].Message.ToArray());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1-")]
    [InlineData("-1")]
    [InlineData("1-2-3")]
    public async Task MalformedAfterId_IsRejected(string afterId)
    {
        var log = (await Backend.CreateReplicaAsync()).Events;

        await Assert.ThrowsAsync<ArgumentException>(async () => await log.ReadAfterAsync(SessionIds.New(), "get", afterId, 10));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1700000000000-0")]
    [InlineData("get/")]
    [InlineData("/1-0")]
    [InlineData("bad stream/1-0")]
    [InlineData("get/1-0-0")]
    [InlineData("get/99999999999999999999999-0")]
    public void MalformedLastEventId_IsNotParsed(string? value) =>
        Assert.False(SseEventId.TryParse(value, out _, out _));
}

[Collection(RedisCollection.Name)]
public sealed class RedisSessionEventLogTests(RedisFixture fixture) : SessionEventLogContract
{
    protected override StoreBackend CreateBackend() => new RedisBackend(fixture, StoreBackend.DefaultOptions());
}

public sealed class InProcessSessionEventLogTests : SessionEventLogContract
{
    protected override StoreBackend CreateBackend() => new InProcessBackend(StoreBackend.DefaultOptions());
}
