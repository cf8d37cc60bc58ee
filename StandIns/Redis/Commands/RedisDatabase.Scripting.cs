using McpPlatform.Redis.Diagnostics;

namespace McpPlatform.Redis;

public sealed partial class RedisDatabase
{
    /// <summary>
    /// Runs a script with EVALSHA; on NOSCRIPT it loads the script (SCRIPT LOAD) and runs it again. A script is
    /// never retried after a connection failure (it may have run).
    /// </summary>
    public async ValueTask<RedisResult> ScriptEvaluateAsync(RedisScript script, IReadOnlyList<string> keys, IReadOnlyList<RedisValue> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(args);
        var payload = new RedisValue[2 + keys.Count + args.Count];
        payload[0] = script.Sha1;
        payload[1] = keys.Count;
        for (var i = 0; i < keys.Count; i++)
        {
            payload[2 + i] = keys[i];
        }

        for (var i = 0; i < args.Count; i++)
        {
            payload[2 + keys.Count + i] = args[i];
        }

        try
        {
            return await Send("EVALSHA", payload, idempotent: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException error) when (error.ErrorPrefix == "NOSCRIPT")
        {
            // NOSCRIPT means the script did not run, so running it again is safe.
            RedisTelemetry.ScriptReloads.Add(1);
            await ScriptLoadAsync(script, cancellationToken).ConfigureAwait(false);
            return await Send("EVALSHA", payload, idempotent: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SCRIPT LOAD: makes the server know the script (done automatically on NOSCRIPT).</summary>
    public async ValueTask ScriptLoadAsync(RedisScript script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        var sha = (await Send("SCRIPT", ["LOAD", script.Source], idempotent: true, cancellationToken).ConfigureAwait(false)).Value.ToString();
        if (!string.Equals(sha, script.Sha1, StringComparison.OrdinalIgnoreCase))
        {
            throw new RedisException($"SCRIPT LOAD returned SHA1 {sha}, expected {script.Sha1}.");
        }
    }
}
