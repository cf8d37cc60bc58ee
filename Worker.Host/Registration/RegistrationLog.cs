using Grpc.Core;

namespace McpPlatform.Worker.Host.Registration;

internal static partial class RegistrationLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "No dispatcher configured (services:dispatcher:grpc); this worker runs alone and does not register.")]
    public static partial void NoDispatcher(ILogger logger);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Registered as {WorkerId} at {Address} with dispatcher {Dispatcher}; heartbeat every {Interval}.")]
    public static partial void Registered(ILogger logger, string workerId, string address, Uri dispatcher, TimeSpan interval);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Dispatcher {Dispatcher} refused worker {WorkerId}: {Reason}. Retrying in {Backoff}.")]
    public static partial void Refused(ILogger logger, Uri dispatcher, string workerId, string reason, TimeSpan backoff);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Dispatcher {Dispatcher} unreachable ({Status}); registering again in {Backoff}.")]
    public static partial void Unreachable(ILogger logger, Uri dispatcher, StatusCode status, TimeSpan backoff);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Dispatcher no longer knows worker {WorkerId}; registering again.")]
    public static partial void Forgotten(ILogger logger, string workerId);

    [LoggerMessage(EventId = 405, Level = LogLevel.Information, Message = "Deregistered worker {WorkerId} from the dispatcher.")]
    public static partial void Deregistered(ILogger logger, string workerId);

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "Could not tell the dispatcher that worker {WorkerId} is stopping ({Status}); it will expire after its missed heartbeats.")]
    public static partial void DeregisterFailed(ILogger logger, string workerId, StatusCode status);

    [LoggerMessage(EventId = 407, Level = LogLevel.Error, Message = "No address to advertise: set Worker:AdvertisedAddress or Kestrel:Endpoints:grpc:Url. This worker does not register.")]
    public static partial void NoAddress(ILogger logger);
}
