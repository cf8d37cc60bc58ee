using McpPlatform.Contracts.Common.V1;
using McpPlatform.Dispatcher.Grpc.Leases;

namespace McpPlatform.Dispatcher.Grpc.Admission;

/// <summary>A lease (and how long the call queued for it), or the busy answer to send instead.</summary>
internal sealed record AdmissionResult(SlotLease? Lease, Busy? Busy, TimeSpan QueueWait);
