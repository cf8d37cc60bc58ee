using Google.Protobuf;
using Grpc.Core;
using McpPlatform.Contracts.Common.V1;
using McpPlatform.Dispatcher.Grpc.Registry;
using McpPlatform.Protocol.JsonRpc;

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

        var envelope = JsonRpcEnvelope.Parse(message.Span);
        if (envelope.Kind == JsonRpcKind.Invalid)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "message is not one JSON-RPC message: send exactly one JSON object with a method, or an id and a result or error (no batches)."));
        }

        if (!isNotification && envelope.Kind != JsonRpcKind.Request)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, envelope.Kind == JsonRpcKind.Response
                ? "message is a response: send it with is_notification set (nothing answers a response)."
                : "message has no id: a request needs one (a string or a number), and a notification must set is_notification."));
        }

        return envelope;
    }
}
