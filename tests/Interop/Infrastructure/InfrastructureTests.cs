namespace Interop.Tests.Infrastructure;

/// <summary>The harness itself: what the real-peer tests rely on before any peer runs.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class InfrastructureTests
{
    [Theory]
    [InlineData("Keyserver.Web.dll")]
    [InlineData("Keyserver.Web.runtimeconfig.json")]
    [InlineData("Keyserver.Web.deps.json")]
    [InlineData("sifsign.dll")]
    [InlineData("sifsign.runtimeconfig.json")]
    [InlineData("sifsign.deps.json")]
    public void OutputDirectory_ProjectReferencedHost_IsRunnableFromThere(string file)
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, file)), $"{file} missing in {AppContext.BaseDirectory}");
    }

    [Fact]
    public void RepositoryRoot_FromTestOutput_FindsSolution()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "Keyserver.sln")));
    }

    [Fact]
    public void Require_MissingProgram_NamesDebianPackage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Tools.Require("no-such-peer-program", "no-such-package"));

        Assert.Contains("apt-get install -y no-such-package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StandardInput_ReachesPeerAndOutputIsCaptured()
    {
        var result = await ProcessRunner.RunAsync("cat", ["-"], standardInput: Encoding.UTF8.GetBytes("keytext\n"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("keytext\n", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_PeerOutlivesTimeout_KilledAndReported()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => ProcessRunner.RunAsync("sleep", ["600"], timeout: TimeSpan.FromMilliseconds(200)));

        Assert.Contains("sleep 600", error.Message, StringComparison.Ordinal);
    }
}
