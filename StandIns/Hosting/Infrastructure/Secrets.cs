using System.Security.Cryptography;

namespace McpPlatform.Hosting.Infrastructure;

/// <summary>Generated secrets kept in the state directory, so data survives restarts with the same password.</summary>
public static class Secrets
{
    /// <summary>Reads the secret stored at <paramref name="path"/>, creating a random one (mode 600) the first time.</summary>
    public static string LoadOrCreate(string path, int bytes = 24)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
        File.WriteAllText(path, secret);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secret;
    }
}
