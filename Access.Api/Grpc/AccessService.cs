using Grpc.Core;
using McpPlatform.Access.Api.Data;
using McpPlatform.Access.Api.Keys;
using McpPlatform.Access.Api.Usage;
using McpPlatform.Contracts.Access.V1;

namespace McpPlatform.Access.Api.Grpc;

/// <summary>
/// mcpplatform.access.v1.Access for the gateways. A bad key is an OK answer with a Rejection; a gRPC error means
/// this service could not answer (UNAVAILABLE while the schema is not ready or PostgreSQL is down).
/// </summary>
internal sealed class AccessService(KeyValidator validator, UsageRecorder usage, DatabaseState database) : Contracts.Access.V1.Access.AccessBase
{
    public override async Task<ValidateKeyResponse> ValidateKey(ValidateKeyRequest request, ServerCallContext context)
    {
        EnsureReady();
        try
        {
            return await validator.ValidateAsync(request.ApiKey, request.Server, request.ClientIp, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The access database is unreachable; retry shortly."));
        }
    }

    public override async Task<RecordUsageResponse> RecordUsage(RecordUsageRequest request, ServerCallContext context)
    {
        EnsureReady();
        if (request.Events.Count > UsageRecorder.MaxBatch)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"At most {UsageRecorder.MaxBatch} events per batch; split it."));
        }

        if (request.Events.FirstOrDefault(e => string.IsNullOrEmpty(e.EventId)) is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Every usage event needs an event_id (its idempotency key)."));
        }

        try
        {
            return await usage.RecordAsync(request.Events, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException and not Npgsql.PostgresException or TimeoutException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The access database is unreachable; keep the batch and retry."));
        }
    }

    private void EnsureReady()
    {
        if (!database.IsReady)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "Access.Api is starting (schema not migrated yet); retry shortly."));
        }
    }
}
