using System.Diagnostics;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using McpPlatform.StandIns.Grpc.Framing;
using McpPlatform.StandIns.Grpc.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpPlatform.StandIns.Grpc.Server;

/// <summary>
/// Serves one method of one service: validates the request, creates the service instance, reads
/// the request message(s), runs the handler and sends the status. One instance per method, shared
/// by all its calls.
/// </summary>
internal sealed class ServerCallHandler<TService, TRequest, TResponse>
    where TService : class where TRequest : class where TResponse : class
{
    private readonly Method<TRequest, TResponse> _method;
    private readonly ServerMethodInvoker<TService, TRequest, TResponse> _invoker;
    private readonly GrpcServiceOptions _options;
    private readonly ServiceActivator<TService> _activator;
    private readonly ILogger _logger;

    public ServerCallHandler(Method<TRequest, TResponse> method, ServerMethodInvoker<TService, TRequest, TResponse> invoker, GrpcServiceOptions options, ServiceActivator<TService> activator, ILogger logger)
    {
        _method = method;
        _invoker = invoker;
        _options = options;
        _activator = activator;
        _logger = logger;
    }

    public async Task HandleCallAsync(HttpContext http)
    {
        if (!await GrpcRequestValidator.ValidateAsync(http).ConfigureAwait(false))
        {
            return;
        }

        var start = Stopwatch.GetTimestamp();
        var activity = GrpcTelemetry.StartActivity(_method, ActivityKind.Server, ServerTraceParent.Read(http));
        using var call = new HttpContextServerCallContext(http, _method, _options, _logger);
        TService? service = null;
        var created = false;
        try
        {
            call.Initialize();
            (service, created) = _activator.Create(http.RequestServices);
            await InvokeAsync(http, call, service).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            call.ProcessException(ex);
        }
        finally
        {
            call.EndCall();
            if (created)
            {
                await ServiceActivator<TService>.ReleaseAsync(service!).ConfigureAwait(false);
            }

            GrpcTelemetry.Stop(activity, GrpcTelemetry.ServerDuration, _method, start, call.Status);
        }
    }

    private async Task InvokeAsync(HttpContext http, HttpContextServerCallContext call, TService service)
    {
        var reader = new MessageReader(http.Request.BodyReader, _options.MaxReceiveMessageSize);
        var deserializer = _method.RequestMarshaller.ContextualDeserializer;
        switch (_method.Type)
        {
            case MethodType.Unary:
            {
                var request = await ReadSingleRequestAsync(reader, call).ConfigureAwait(false);
                var response = await _invoker.Unary!(service, request, call).ConfigureAwait(false)
                    ?? throw new RpcException(new Status(StatusCode.Cancelled, "No message returned from method."));
                WriteSingleResponse(http, call, response);
                break;
            }

            case MethodType.ServerStreaming:
            {
                var request = await ReadSingleRequestAsync(reader, call).ConfigureAwait(false);
                var writer = new HttpResponseStreamWriter<TResponse>(call, _method.ResponseMarshaller.ContextualSerializer);
                await _invoker.ServerStreaming!(service, request, writer, call).ConfigureAwait(false);
                break;
            }

            case MethodType.ClientStreaming:
            {
                var requests = new HttpRequestStreamReader<TRequest>(call, reader, deserializer);
                var response = await _invoker.ClientStreaming!(service, requests, call).ConfigureAwait(false)
                    ?? throw new RpcException(new Status(StatusCode.Cancelled, "No message returned from method."));
                WriteSingleResponse(http, call, response);
                break;
            }

            default:
            {
                var requests = new HttpRequestStreamReader<TRequest>(call, reader, deserializer);
                var writer = new HttpResponseStreamWriter<TResponse>(call, _method.ResponseMarshaller.ContextualSerializer);
                await _invoker.Duplex!(service, requests, writer, call).ConfigureAwait(false);
                break;
            }
        }
    }

    private async Task<TRequest> ReadSingleRequestAsync(MessageReader reader, HttpContextServerCallContext call)
    {
        var deserializer = _method.RequestMarshaller.ContextualDeserializer;
        var request = await reader.ReadAsync(deserializer, call.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "Request message was not received."));
        if (await reader.ReadAsync(deserializer, call.CancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Additional data after the message received."));
        }

        return request;
    }

    // A single response is not flushed on its own: Kestrel sends it with the trailers when the call ends.
    private void WriteSingleResponse(HttpContext http, HttpContextServerCallContext call, TResponse response)
    {
        if (call.DeadlineExceeded)
        {
            return;
        }

        var context = new MessageSerializationContext(_options.MaxSendMessageSize);
        call.MessageWritten = true;
        context.WriteMessage(http.Response.BodyWriter, response, _method.ResponseMarshaller.ContextualSerializer);
    }
}
