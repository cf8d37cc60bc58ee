namespace McpPlatform.Redis.Connection;

/// <summary>
/// The commands that open every connection: <c>HELLO 3</c> with AUTH and SETNAME when RESP3 is wanted
/// (falling back to RESP2's AUTH and CLIENT SETNAME when the server lacks HELLO), then SELECT.
/// </summary>
internal static class Handshake
{
    public static async Task RunAsync(PhysicalConnection connection, RedisOptions options, int database, long timeoutMilliseconds, CancellationToken cancellationToken)
    {
        var helloDone = false;
        if (options.Protocol == RedisProtocol.Resp3)
        {
            var args = new List<RedisValue> { 3 };
            if (options.Password is not null)
            {
                args.Add("AUTH");
                args.Add(options.User ?? "default");
                args.Add(options.Password);
            }

            if (options.ClientName is not null)
            {
                args.Add("SETNAME");
                args.Add(options.ClientName);
            }

            try
            {
                await SendAsync(connection, "HELLO", [.. args], timeoutMilliseconds, cancellationToken).ConfigureAwait(false);
                helloDone = true;
            }
            catch (RedisServerException error) when (IsAuthError(error))
            {
                throw AuthFailure(options, error);
            }
            catch (RedisServerException error) when (error.ErrorPrefix is "NOPROTO" || error.ServerError.Contains("unknown command", StringComparison.OrdinalIgnoreCase))
            {
                // Redis before 6: no HELLO, so RESP2 with the classic commands below.
            }
        }

        if (!helloDone)
        {
            if (options.Password is not null)
            {
                RedisValue[] auth = options.User is null ? [options.Password] : [options.User, options.Password];
                try
                {
                    await SendAsync(connection, "AUTH", auth, timeoutMilliseconds, cancellationToken).ConfigureAwait(false);
                }
                catch (RedisServerException error)
                {
                    throw AuthFailure(options, error);
                }
            }

            if (options.ClientName is not null)
            {
                await SendAsync(connection, "CLIENT", ["SETNAME", options.ClientName], timeoutMilliseconds, cancellationToken).ConfigureAwait(false);
            }
        }

        if (database != 0)
        {
            try
            {
                await SendAsync(connection, "SELECT", [database], timeoutMilliseconds, cancellationToken).ConfigureAwait(false);
            }
            catch (RedisServerException error) when (IsAuthError(error))
            {
                throw AuthFailure(options, error);
            }
        }
        else if (!helloDone)
        {
            // Without HELLO nothing above proves the server lets us in (a password may be required): ask.
            try
            {
                await SendAsync(connection, "PING", [], timeoutMilliseconds, cancellationToken).ConfigureAwait(false);
            }
            catch (RedisServerException error) when (IsAuthError(error))
            {
                throw AuthFailure(options, error);
            }
        }
    }

    internal static ValueTask<RedisResult> SendAsync(PhysicalConnection connection, string name, RedisValue[] args, long timeoutMilliseconds, CancellationToken cancellationToken) =>
        connection.SendDirectAsync(PendingCommand.Rent(name, args, idempotent: false, Environment.TickCount64 + timeoutMilliseconds), cancellationToken);

    private static bool IsAuthError(RedisServerException error) =>
        error.ErrorPrefix is "WRONGPASS" or "NOAUTH" or "NOPERM"
        || error.ServerError.Contains("invalid password", StringComparison.OrdinalIgnoreCase)
        || error.ServerError.Contains("AUTH", StringComparison.Ordinal);

    private static RedisAuthenticationException AuthFailure(RedisOptions options, RedisServerException error)
    {
        var hint = options.Password is null
            ? "The server requires authentication: add password= (and user= for an ACL user) to the connection string."
            : $"Check user= ({options.User ?? "default"}) and password= in the connection string.";
        return new RedisAuthenticationException($"Redis at {options.EndPoint} refused the connection's credentials ({error.ServerError}). {hint}", error);
    }
}
