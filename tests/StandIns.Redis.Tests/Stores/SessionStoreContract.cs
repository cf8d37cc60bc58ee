using System.Diagnostics;
using McpPlatform.Redis.Tests.Infrastructure;
using McpPlatform.Stores.Sessions;

namespace McpPlatform.Redis.Tests.Stores;

public abstract class SessionStoreContract : StoreContract
{
    private static SessionRecord NewSession(string principal = "key:alice") => new()
    {
        Id = SessionIds.New(),
        Principal = principal,
        Server = "echo",
        ProtocolVersion = "2025-11-25",
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        Attributes = new Dictionary<string, string> { ["client"] = "claude" },
    };

    [Fact]
    public async Task CreatedSession_IsFoundByItsOwnerOnAnyReplica()
    {
        var (one, two) = (await Backend.CreateReplicaAsync(), await Backend.CreateReplicaAsync());
        var session = NewSession();

        Assert.True(await one.Sessions.CreateAsync(session));
        var lookup = await two.Sessions.GetAsync(session.Id, session.Principal);

        Assert.Equal(SessionLookupStatus.Found, lookup.Status);
        Assert.Equal(session.Id, lookup.Session!.Id);
        Assert.Equal(session.Principal, lookup.Session.Principal);
        Assert.Equal("echo", lookup.Session.Server);
        Assert.Equal("2025-11-25", lookup.Session.ProtocolVersion);
        Assert.Equal(session.CreatedAt, lookup.Session.CreatedAt);
        Assert.Equal("claude", lookup.Session.Attributes["client"]);
        Assert.Equal(43, session.Id.Length);
    }

    [Fact]
    public async Task AnotherPrincipal_CanNeitherSeeNorChangeNorEndTheSession()
    {
        var sessions = (await Backend.CreateReplicaAsync()).Sessions;
        var session = NewSession("key:alice");
        await sessions.CreateAsync(session);

        Assert.Equal(new SessionLookup(SessionLookupStatus.OtherPrincipal, null), await sessions.GetAsync(session.Id, "key:mallory"));
        Assert.False(await sessions.SetAttributeAsync(session.Id, "key:mallory", "lease", "stolen"));
        Assert.False(await sessions.DeleteAsync(session.Id, "key:mallory"));

        var lookup = await sessions.GetAsync(session.Id, "key:alice");
        Assert.Equal(SessionLookupStatus.Found, lookup.Status);
        Assert.False(lookup.Session!.Attributes.ContainsKey("lease"));
    }

    [Fact]
    public async Task UnknownOrDuplicateSession_IsReportedAsSuch()
    {
        var sessions = (await Backend.CreateReplicaAsync()).Sessions;
        var session = NewSession();

        Assert.Equal(SessionLookupStatus.NotFound, (await sessions.GetAsync(SessionIds.New(), "key:alice")).Status);
        Assert.True(await sessions.CreateAsync(session));
        Assert.False(await sessions.CreateAsync(session with { Principal = "key:mallory" }));
        Assert.Equal(SessionLookupStatus.Found, (await sessions.GetAsync(session.Id, "key:alice")).Status);
    }

    [Fact]
    public async Task UsedSession_SlidesItsExpiryAndAnIdleOneExpires()
    {
        var sessions = (await Backend.CreateReplicaAsync()).Sessions;
        var session = NewSession();
        await sessions.CreateAsync(session);

        // The idle timeout is 2 s: using it every 500 ms for 2.5 s keeps it alive.
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(500);
            Assert.Equal(SessionLookupStatus.Found, (await sessions.GetAsync(session.Id, session.Principal)).Status);
        }

        var idle = Stopwatch.StartNew();
        await Task.Delay(2200);
        Assert.Equal(SessionLookupStatus.NotFound, (await sessions.GetAsync(session.Id, session.Principal)).Status);
        Assert.True(idle.Elapsed >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task AttributesAndDeletion_AreSeenByEveryReplica()
    {
        var (one, two) = (await Backend.CreateReplicaAsync(), await Backend.CreateReplicaAsync());
        var session = NewSession();
        await one.Sessions.CreateAsync(session);

        Assert.True(await one.Sessions.SetAttributeAsync(session.Id, session.Principal, "lease", "worker-3/slot-1"));
        Assert.Equal("worker-3/slot-1", (await two.Sessions.GetAsync(session.Id, session.Principal)).Session!.Attributes["lease"]);
        Assert.True(await two.Sessions.DeleteAsync(session.Id, session.Principal));
        Assert.Equal(SessionLookupStatus.NotFound, (await one.Sessions.GetAsync(session.Id, session.Principal)).Status);
        Assert.False(await one.Sessions.DeleteAsync(session.Id, session.Principal));
    }

    [Fact]
    public async Task Count_IsPerPrincipalAndDropsEndedSessions()
    {
        var sessions = (await Backend.CreateReplicaAsync()).Sessions;
        var principal = "key:" + NewKey();
        var first = NewSession(principal);
        await sessions.CreateAsync(first);
        await sessions.CreateAsync(NewSession(principal));
        await sessions.CreateAsync(NewSession("key:" + NewKey()));

        Assert.Equal(2, await sessions.CountAsync(principal));
        await sessions.DeleteAsync(first.Id, principal);
        Assert.Equal(1, await sessions.CountAsync(principal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    public async Task MalformedSessionId_IsRejected(string id)
    {
        var sessions = (await Backend.CreateReplicaAsync()).Sessions;

        await Assert.ThrowsAsync<ArgumentException>(async () => await sessions.GetAsync(id, "key:alice"));
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisSessionStoreTests(RedisFixture fixture) : SessionStoreContract
{
    protected override StoreBackend CreateBackend() => new RedisBackend(fixture, StoreBackend.DefaultOptions());
}

public sealed class InProcessSessionStoreTests : SessionStoreContract
{
    protected override StoreBackend CreateBackend() => new InProcessBackend(StoreBackend.DefaultOptions());
}
