namespace SifSign.Tests.Keys;

public class KeysDirectoryTests
{
    [Fact]
    public void Resolve_OptionGiven_WinsOverEnvironment()
    {
        var path = KeysDirectory.Resolve("/opt/keys", _ => "/env/keys", "/home/u");

        Assert.Equal("/opt/keys", path);
    }

    [Fact]
    public void Resolve_EnvironmentOnly_UsesApptainerKeysDir()
    {
        var path = KeysDirectory.Resolve(null, name => name == "APPTAINER_KEYSDIR" ? "/env/keys" : null, "/home/u");

        Assert.Equal("/env/keys", path);
    }

    [Fact]
    public void Resolve_NothingSet_UsesApptainerDefault()
    {
        Assert.Equal("/home/u/.apptainer/keys", KeysDirectory.Resolve(null, _ => null, "/home/u"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/home")]
    public void Resolve_NoUsableHome_ThrowsNamingKeysdirInsteadOfARelativePath(string? home)
    {
        var e = Assert.Throws<KeyringException>(() => KeysDirectory.Resolve(null, _ => null, home));

        Assert.Contains("--keysdir", e.Message, StringComparison.Ordinal);
        Assert.Contains("APPTAINER_KEYSDIR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoHomeButVariable_UsesVariable()
    {
        Assert.Equal("/env/keys", KeysDirectory.Resolve(null, name => name == "APPTAINER_KEYSDIR" ? "/env/keys" : null, null));
    }
}
