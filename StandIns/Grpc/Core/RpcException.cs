namespace Grpc.Core;

/// <summary>Thrown when a call ends with a status other than OK; a handler throws it to choose its status.</summary>
public class RpcException : Exception
{
    /// <summary>Creates the exception for a status.</summary>
    public RpcException(Status status)
        : this(status, Metadata.Empty, status.ToString())
    {
    }

    /// <summary>Creates the exception for a status with a custom message.</summary>
    public RpcException(Status status, string message)
        : this(status, Metadata.Empty, message)
    {
    }

    /// <summary>Creates the exception for a status with trailers.</summary>
    public RpcException(Status status, Metadata trailers)
        : this(status, trailers, status.ToString())
    {
    }

    /// <summary>Creates the exception for a status with trailers and a custom message.</summary>
    public RpcException(Status status, Metadata trailers, string message)
        : base(message, status.DebugException)
    {
        Status = status;
        Trailers = trailers ?? throw new ArgumentNullException(nameof(trailers));
    }

    /// <summary>The status of the call.</summary>
    public Status Status { get; }

    /// <summary>The status code of the call.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>The trailers the peer sent, or that a handler wants to send.</summary>
    public Metadata Trailers { get; }
}
