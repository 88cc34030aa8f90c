namespace Keyserver.Web.Tests;

public sealed class KeyserverServicesTests
{
    private static ServiceProvider Build(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddKeyserverOptions().BuildServiceProvider();
    }

    [Fact]
    public void Defaults_AreValid()
    {
        using var services = Build();

        Assert.Equal(TimeSpan.FromDays(3), services.GetRequiredService<IOptions<VerificationOptions>>().Value.TokenLifetime);
        Assert.Equal(TimeSpan.FromHours(1), services.GetRequiredService<IOptions<VerificationOptions>>().Value.MailInterval);
        Assert.Equal(TimeSpan.FromDays(14), services.GetRequiredService<IOptions<VerificationOptions>>().Value.PurgeAfter);
        Assert.False(services.GetRequiredService<IOptions<SmtpOptions>>().Value.Enabled);
        Assert.True(services.GetRequiredService<IOptions<PublicUrlOptions>>().Value.IsValid());
        Assert.Equal("outbox", services.GetRequiredService<IOptions<MailOptions>>().Value.PickupDirectory);
    }

    [Theory]
    [InlineData("Keyserver:PublicUrl", "not a url", "Keyserver:PublicUrl")]
    [InlineData("Keyserver:PublicUrl", "ftp://keys.example.org", "Keyserver:PublicUrl")]
    [InlineData("Keyserver:PublicUrl", "https://keys.example.org/?x=1", "Keyserver:PublicUrl")]
    [InlineData("Verification:TokenLifetime", "00:00:00", "Verification:TokenLifetime")]
    [InlineData("Verification:PurgeAfter", "-1.00:00:00", "Verification:PurgeAfter")]
    [InlineData("Mail:From", "not an address <", "Mail:From")]
    [InlineData("Mail:Smtp:Port", "70000", "Mail:Smtp:Port")]
    [InlineData("Mail:Smtp:Security", "Maybe", "Mail:Smtp:Security")]
    [InlineData("Mail:Smtp:Username", "user", "Mail:Smtp:Username")]
    public void BadSetting_ValidationNamesTheKey(string key, string value, string named)
    {
        using var services = Build((key, value));

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<PublicUrlOptions>>().Value;
            _ = services.GetRequiredService<IOptions<VerificationOptions>>().Value;
            _ = services.GetRequiredService<IOptions<MailOptions>>().Value;
            _ = services.GetRequiredService<IOptions<SmtpOptions>>().Value;
        });
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SmtpOptions_ToString_RedactsCredentials()
    {
        var smtp = new SmtpOptions { Host = "mail.example.org", Username = "keys@example.org", Password = "hunter2" };

        Assert.DoesNotContain("hunter2", smtp.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("keys@example.org", smtp.ToString(), StringComparison.Ordinal);
        Assert.Contains("[redacted]", smtp.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RetryDelay_DoublesUpToTheCap()
    {
        var mail = new MailOptions { RetryInitialDelay = TimeSpan.FromSeconds(30), RetryMaxDelay = TimeSpan.FromMinutes(5) };

        Assert.Equal(
            [30, 60, 120, 240, 300, 300],
            new[] { 1, 2, 3, 4, 5, 1000 }.Select(n => (int)mail.RetryDelay(n).TotalSeconds));
    }
}
