namespace Keyserver.Web.Tests.Options;

public class OptionsValidationTests
{
    [Fact]
    public void Defaults_AreValidAndMatchTheIssue()
    {
        using var services = ConfiguredServices.Options();

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
        using var services = ConfiguredServices.Options(
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
        _ = services.GetRequiredService<IOptions<PublicUrlOptions>>().Value;
        _ = services.GetRequiredService<IOptions<MailOptions>>().Value;
        _ = services.GetRequiredService<IOptions<SmtpOptions>>().Value;
        _ = services.GetRequiredService<IOptions<PolicyOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AuditOptions>>().Value;
    }

    [Fact]
    public void PolicyDomains_ArrayOrCommaSeparated_Normalised()
    {
        using var array = ConfiguredServices.Options(("Policy:Domains:0", "Example.ORG"), ("Policy:Domains:1", "bücher.example"), ("Policy:MaxKeysPerAddress", "1"));
        using var single = ConfiguredServices.Options(("Policy:Domains", "example.org, xn--bcher-kva.example"), ("Policy:IncludeSubdomains", "true"));

        var fromArray = array.GetRequiredService<IOptions<PolicyOptions>>().Value.ToSettings();
        var fromSingle = single.GetRequiredService<IOptions<PolicyOptions>>().Value.ToSettings();

        Assert.Equal(["example.org", "xn--bcher-kva.example"], fromArray.Domains);
        Assert.Equal(1, fromArray.MaxKeysPerAddress);
        Assert.Equal(["example.org", "xn--bcher-kva.example"], fromSingle.Domains);
        Assert.True(fromSingle.IncludeSubdomains);
        using var defaults = ConfiguredServices.Options();
        Assert.Empty(defaults.GetRequiredService<IOptions<PolicyOptions>>().Value.ToSettings().Domains);
        Assert.Equal(365, defaults.GetRequiredService<IOptions<AuditOptions>>().Value.RetentionDays);
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "Limits:MaxUploadBytes", "-1", "Limits:MaxUploadBytes" },
        { "Limits:MaxUploadBytes", "0", "Limits:MaxUploadBytes" },
        { "Limits:MaxKeyBytes", "-5", "Limits:MaxKeyBytes" },
        { "Limits:MaxSubkeys", "-1", "Limits:MaxSubkeys" },
        { "Search:MaxResults", "0", "Search:MaxResults" },
        { "Search:MaxPageSize", "100000", "Search:MaxPageSize" },
        { "RateLimit:PermitsPerMinute", "0", "RateLimit:PermitsPerMinute" },
        { "RateLimit:QueueLimit", "-1", "RateLimit:QueueLimit" },
        { "Storage:DataDirectory", "", "Storage:DataDirectory" },
        { "Verification:Mode", "7", "Verification:Mode" },
        { "Verification:Mode", "Sometimes", "Verification:Mode" },
        { "Verification:Mode", "None,Email", "Verification:Mode" },
        { "Keyserver:PublicUrl", "not a url", "Keyserver:PublicUrl" },
        { "Keyserver:PublicUrl", "ftp://keys.example.org", "Keyserver:PublicUrl" },
        { "Keyserver:PublicUrl", "https://keys.example.org/?x=1", "Keyserver:PublicUrl" },
        { "Verification:TokenLifetime", "00:00:00", "Verification:TokenLifetime" },
        { "Verification:PurgeAfter", "-1.00:00:00", "Verification:PurgeAfter" },
        { "Mail:From", "not an address <", "Mail:From" },
        { "Mail:Smtp:Port", "70000", "Mail:Smtp:Port" },
        { "Mail:Smtp:Security", "Maybe", "Mail:Smtp:Security" },
        { "Mail:Smtp:Username", "user", "Mail:Smtp:Username" },
        { "Policy:Domains", "*.example.org", "Policy:Domains" },
        { "Policy:Domains", "example.org/evil", "Policy:Domains" },
        { "Policy:Domains:0", "-bad.example", "Policy:Domains" },
        { "Policy:MaxKeysPerAddress", "0", "Policy:MaxKeysPerAddress" },
        { "Audit:RetentionDays", "-1", "Audit:RetentionDays" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadValue_ValidationNamesTheKey(string key, string value, string named)
    {
        using var services = ConfiguredServices.Options((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => ResolveAll(services));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
