namespace McpPlatform.StandIns.Grpc.Tests.Infrastructure;

/// <summary>One grpc-js server (node/interop.js server) shared by a test class; killed at the end.</summary>
public sealed class GrpcJsServerFixture : IAsyncLifetime
{
    private NodePeer? _peer;

    public int Port { get; private set; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public async Task InitializeAsync() => (_peer, Port) = await NodePeer.StartServerAsync();

    public async Task DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }
}
