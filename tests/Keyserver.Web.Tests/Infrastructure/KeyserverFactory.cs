using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>
/// A keyserver host on its own fresh data directory (habit 8), with the repository root as content
/// root so the real appsettings.json and wwwroot/ are used. Extra settings override appsettings.
/// </summary>
public sealed class KeyserverFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _data = new();
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public KeyserverFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    private KeyserverFactory(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
    }

    /// <summary>A host with these settings on top of appsettings.json (xunit fixtures need one public constructor).</summary>
    public static KeyserverFactory With(params (string Key, string? Value)[] settings) =>
        new(settings.ToDictionary(s => s.Key, s => s.Value));

    public string DataDirectory => _data.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryRoot.Path);
        builder.UseSetting("Storage:DataDirectory", _data.Path);

        // HKP tests expect immediate publication; tests of the e-mail flow set Verification:Mode=Email.
        builder.UseSetting("Verification:Mode", "None");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
