using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Dispatcher.Grpc.Registry;

namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>The checks every Dispatch call makes before admission, each failing with a precise status and what to fix.</summary>
internal static class RequestValidation
{
    public static void CheckRoute(Route? route, WorkerPool pool)
    {
        if (route is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "route is required: set route.server (and tenant, session and plan) for the message."));
        }

        if (string.IsNullOrWhiteSpace(route.Server))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "route.server is required: name the catalog server, e.g. \"echo\"."));
        }

        if (!pool.IsKnownServer(route.Server))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Server '{route.Server}' is not in the catalog of any registered worker."));
        }

        if (route.PlanMaxConcurrency < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "route.plan_max_concurrency must not be negative (0 means unlimited)."));
        }
    }

    public static JsonRpcEnvelope CheckMessage(ByteString message, bool isNotification)
    {
        if (message.IsEmpty)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "message is required: one JSON-RPC message as UTF-8 JSON."));
        }

        if (!JsonRpcEnvelope.TryRead(message.Memory, out var envelope))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "message is not one JSON object: send exactly one JSON-RPC message (no batches)."));
        }

        if (!isNotification && envelope.RawId.IsEmpty)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "message has no id: a request needs one, and a notification must set is_notification."));
        }

        return envelope;
    }
}
