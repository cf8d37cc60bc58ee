using McpPlatform.Contracts.Common.V1;

namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>What the bank gave one call: a slot place and, when the plan limits concurrency, a plan place; or the busy reason (none: queue and retry).</summary>
internal readonly record struct BankGrant(BankPlace? Slot, BankPlace? Plan, Busy.Types.Reason Reason);
