namespace TestKit;

/// <summary>
/// Trait names for <c>[Trait(TestCategories.Category, TestCategories.External)]</c>: a test class that starts
/// another program (gpg, sq, go, openssl, ssh-keygen, Chromium, a child dotnet or the server process) is
/// External, so <c>dotnet test --filter "Category!=External"</c> runs the in-process tests alone.
/// </summary>
public static class TestCategories
{
    public const string Category = "Category";

    public const string External = "External";
}
