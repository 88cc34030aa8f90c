namespace Keyserver.Web.Tests.Options;

public class OptionsValidationTests
{
    internal static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKeyserverOptions();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_AreValidAndMatchTheIssue()
    {
        using var services = Services();

        Assert.Equal("data", services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory);
        Assert.Equal(PublicationMode.Email, services.GetRequiredService<IOptions<VerificationOptions>>().Value.ToPublicationMode());
        var limits = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
        Assert.Equal(1024 * 1024, limits.MaxUploadBytes);
        Assert.Equal(new KeyLimits(), limits.ToKeyLimits());
        Assert.Equal(100, services.GetRequiredService<IOptions<SearchOptions>>().Value.MaxResults);
        Assert.True(services.GetRequiredService<IOptions<RateLimitOptions>>().Value.PermitsPerMinute > 0);
    }

    [Fact]
    public void Values_FromConfiguration_AreBound()
    {
        using var services = Services(
            ("Storage:DataDirectory", "/srv/ks"),
            ("Verification:Mode", "none"),
            ("Limits:MaxUserIds", "7"),
            ("Limits:KeepUserAttributes", "true"),
            ("Search:MaxPageSize", "50"));

        Assert.Equal("/srv/ks", services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory);
        Assert.Equal(PublicationMode.None, services.GetRequiredService<IOptions<VerificationOptions>>().Value.ToPublicationMode());
        var limits = services.GetRequiredService<IOptions<LimitsOptions>>().Value.ToKeyLimits();
        Assert.Equal(7, limits.MaxUserIds);
        Assert.True(limits.KeepUserAttributes);
        Assert.Equal(50, services.GetRequiredService<IOptions<SearchOptions>>().Value.MaxPageSize);
    }

    [Theory]
    [InlineData("Limits:MaxUploadBytes", "-1")]
    [InlineData("Limits:MaxUploadBytes", "0")]
    [InlineData("Limits:MaxKeyBytes", "-5")]
    [InlineData("Limits:MaxSubkeys", "-1")]
    [InlineData("Search:MaxResults", "0")]
    [InlineData("Search:MaxPageSize", "100000")]
    [InlineData("RateLimit:PermitsPerMinute", "0")]
    [InlineData("RateLimit:QueueLimit", "-1")]
    [InlineData("Storage:DataDirectory", "")]
    [InlineData("Verification:Mode", "7")]
    [InlineData("Verification:Mode", "Sometimes")]
    [InlineData("Verification:Mode", "None,Email")]
    public void BadValue_FailsNamingTheKey(string key, string value)
    {
        using var services = Services((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => ResolveAll(services));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StorageOptions_RelativeDirectory_ResolvesAgainstContentRoot()
    {
        var options = new StorageOptions { DataDirectory = "data" };
        Assert.Equal(Path.Combine("/srv/app", "data", "keyserver.db"), options.ResolveDatabasePath("/srv/app"));
        options.DataDirectory = "/var/lib/ks";
        Assert.Equal(Path.Combine("/var/lib/ks", "keyserver.db"), options.ResolveDatabasePath("/srv/app"));
    }

    private static void ResolveAll(ServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = services.GetRequiredService<IOptions<VerificationOptions>>().Value;
        _ = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
        _ = services.GetRequiredService<IOptions<SearchOptions>>().Value;
        _ = services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
    }

    [Fact]
    public void PolicyDomains_ArrayOrCommaSeparated_Normalised()
    {
        using var array = Services(("Policy:Domains:0", "Example.ORG"), ("Policy:Domains:1", "bücher.example"), ("Policy:MaxKeysPerAddress", "1"));
        using var single = Services(("Policy:Domains", "example.org, xn--bcher-kva.example"), ("Policy:IncludeSubdomains", "true"));

        var fromArray = array.GetRequiredService<IOptions<PolicyOptions>>().Value.ToSettings();
        var fromSingle = single.GetRequiredService<IOptions<PolicyOptions>>().Value.ToSettings();

        Assert.Equal(["example.org", "xn--bcher-kva.example"], fromArray.Domains);
        Assert.Equal(1, fromArray.MaxKeysPerAddress);
        Assert.Equal(["example.org", "xn--bcher-kva.example"], fromSingle.Domains);
        Assert.True(fromSingle.IncludeSubdomains);
        using var defaults = Services();
        Assert.Empty(defaults.GetRequiredService<IOptions<PolicyOptions>>().Value.ToSettings().Domains);
        Assert.Equal(365, defaults.GetRequiredService<IOptions<AuditOptions>>().Value.RetentionDays);
    }

    [Theory]
    [InlineData("Policy:Domains", "*.example.org", "Policy:Domains")]
    [InlineData("Policy:Domains", "example.org/evil", "Policy:Domains")]
    [InlineData("Policy:Domains:0", "-bad.example", "Policy:Domains")]
    [InlineData("Policy:MaxKeysPerAddress", "0", "Policy:MaxKeysPerAddress")]
    [InlineData("Audit:RetentionDays", "-1", "Audit:RetentionDays")]
    public void PolicyAndAudit_BadValue_NamesTheKey(string key, string value, string named)
    {
        using var services = Services((key, value));

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<PolicyOptions>>().Value;
            _ = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        });

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
