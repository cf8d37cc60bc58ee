using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpPlatform.Contracts.Keys;
using McpPlatform.Redis;
using Npgsql;

namespace McpPlatform.Gateway.Access.Tests.Infrastructure;

/// <summary>
/// Users and keys in Access.Api's database, made the way Access.Api makes them (HMAC-SHA256 under its development
/// pepper), and revocations published the way it publishes them (Access.Api/README.md: the invalidation message on
/// <c>{prefix}inv:access-keys</c> after the commit).
/// </summary>
public sealed class AccessData(string database, string redis) : IAsyncDisposable
{
    private const string DevelopmentPepper = "mcpplatform-development-pepper-not-for-production";
    private readonly Lazy<Task<RedisMultiplexer>> _redis = new(() => RedisMultiplexer.ConnectAsync(redis));

    /// <summary>A new user on <paramref name="plan"/> and a key for it.</summary>
    public async Task<TestKey> NewKeyAsync(
        string plan = "pro",
        object? overrides = null,
        IReadOnlyList<(string Server, string Tool)>? scopes = null,
        DateTimeOffset? expiresAt = null,
        string? name = null,
        ApiKeyEnvironment environment = ApiKeyEnvironment.Test)
    {
        var userId = Guid.NewGuid();
        var keyId = Guid.NewGuid();
        var secret = ApiKeyFormat.Generate(environment);
        await using var connection = await OpenAsync();
        await using (var user = new NpgsqlCommand("INSERT INTO users (id, email, plan_id) VALUES ($1, $2, $3)", connection))
        {
            user.Parameters.Add(new NpgsqlParameter { Value = userId });
            user.Parameters.Add(new NpgsqlParameter { Value = $"user-{userId:N}@example.test" });
            user.Parameters.Add(new NpgsqlParameter { Value = plan });
            await user.ExecuteNonQueryAsync();
        }

        await using (var key = new NpgsqlCommand(
            """
            INSERT INTO api_keys (id, user_id, name, display_prefix, environment, hash, scopes, plan_overrides, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)
            """, connection))
        {
            key.Parameters.Add(new NpgsqlParameter { Value = keyId });
            key.Parameters.Add(new NpgsqlParameter { Value = userId });
            key.Parameters.Add(new NpgsqlParameter { Value = name ?? "test key" });
            key.Parameters.Add(new NpgsqlParameter { Value = ApiKeyFormat.DisplayPrefix(secret) });
            key.Parameters.Add(new NpgsqlParameter { Value = environment == ApiKeyEnvironment.Live ? "live" : "test" });
            key.Parameters.Add(new NpgsqlParameter { Value = HMACSHA256.HashData(Encoding.UTF8.GetBytes(DevelopmentPepper), Encoding.UTF8.GetBytes(secret)) });
            key.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize((scopes ?? []).Select(s => new { server = s.Server, tool = s.Tool })) });
            key.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(overrides ?? new { }, new JsonSerializerOptions(JsonSerializerDefaults.Web)) });
            key.Parameters.Add(new NpgsqlParameter { Value = expiresAt is { } at ? at.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            await key.ExecuteNonQueryAsync();
        }

        return new TestKey(secret, userId.ToString(), keyId.ToString());
    }

    /// <summary>Revokes the key and tells the gateways, as Access.Api's revoke does.</summary>
    public async Task RevokeAsync(TestKey key, string prefix = "mcp:")
    {
        await ExecuteAsync("UPDATE api_keys SET revoked_at = now() WHERE id = $1", Guid.Parse(key.KeyId));
        var bus = (await _redis.Value).GetDatabase();
        await bus.PublishAsync($"{prefix}inv:access-keys", JsonSerializer.Serialize(new { reason = "key-revoked", keyId = key.KeyId, userId = key.UserId }));
    }

    /// <summary>Usage events Access.Api stored for <paramref name="userId"/>, by method.</summary>
    public async Task<long> UsageCountAsync(string userId, string? method = null)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM usage_events WHERE user_id = $1 AND ($2::text IS NULL OR method = $2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)method ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Appends usage events to the gateways' Redis stream as one entry, as a gateway does (field <c>b</c>, each event
    /// length-delimited), or, with <paramref name="singleForm"/>, one entry per event in the older form (field <c>e</c>).
    /// </summary>
    public async Task AppendUsageAsync(IReadOnlyList<McpPlatform.Contracts.Access.V1.UsageEvent> events, bool singleForm = false, string prefix = "mcp:")
    {
        var db = (await _redis.Value).GetDatabase();
        if (singleForm)
        {
            foreach (var usage in events)
            {
                await db.StreamAddAsync($"{prefix}usage", [new("e", Google.Protobuf.MessageExtensions.ToByteArray(usage))]);
            }

            return;
        }

        using var payload = new MemoryStream();
        foreach (var usage in events)
        {
            Google.Protobuf.MessageExtensions.WriteDelimitedTo(usage, payload);
        }

        await db.StreamAddAsync($"{prefix}usage", [new("b", payload.ToArray())]);
    }

    /// <summary>The gateway's monthly tool-call counter for <paramref name="userId"/> this month (0 when absent).</summary>
    public async Task<long> QuotaUsedAsync(string userId, string prefix = "mcp:")
    {
        var month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var value = await (await _redis.Value).GetDatabase().StringGetAsync($"{prefix}quota:user:{userId}:{month}");
        return value.IsNull ? 0 : (long)value;
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis.IsValueCreated)
        {
            await (await _redis.Value).DisposeAsync();
        }
    }

    private async Task ExecuteAsync(string sql, Guid id)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A key made for a test: the secret to present, and whose it is.</summary>
public sealed record TestKey(string Secret, string UserId, string KeyId);
