namespace McpPlatform.Dispatcher.Grpc.Leases;

/// <summary>One place in a shared lease set: the set's store key (a slot or a plan) and the member holding it.</summary>
internal readonly record struct StorePlace(string Key, string Member);
