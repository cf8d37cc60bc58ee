using McpPlatform.Hosting;
using McpPlatform.Hosting.Orchestration;
using McpPlatform.Hosting.Testing;

namespace McpPlatform.AppHost.Tests.Model;

public sealed class StateDirectoryTests : IDisposable
{
    private readonly string _path = DistributedApplicationTestingBuilder.NewStateDirectory();

    [Fact]
    public void Fresh_EmptiesTheFolder_KeepsTheLock()
    {
        Directory.CreateDirectory(Path.Combine(_path, "postgres", "data"));
        File.WriteAllText(Path.Combine(_path, "credentials.json"), "{}");

        using (StateDirectory.Open(_path, fresh: true))
        {
            Assert.Equal(["apphost.lock"], Directory.GetFileSystemEntries(_path).Select(Path.GetFileName));
        }
    }

    [Fact]
    public void WithoutFresh_KeepsEverything()
    {
        File.WriteAllText(Path.Combine(_path, "credentials.json"), "{}");

        using (StateDirectory.Open(_path, fresh: false))
        {
            Assert.True(File.Exists(Path.Combine(_path, "credentials.json")));
        }
    }

    [Fact]
    public void SecondOrchestratorOnTheSameFolder_IsRefusedWithWhatToDo()
    {
        using var first = StateDirectory.Open(_path, fresh: false);

        var failure = Assert.Throws<DistributedApplicationException>(() => StateDirectory.Open(_path, fresh: true));

        Assert.Contains("--state-dir", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_path, recursive: true);
}
