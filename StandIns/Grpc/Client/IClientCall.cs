using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Client;

/// <summary>What a request-stream writer needs from its call, independent of the response type.</summary>
internal interface IClientCall
{
    bool IsFinished { get; }

    Status Status { get; }

    CancellationToken CallToken { get; }

    void Cancel();

    void Fail(Exception exception);

    Exception CreateException();
}
