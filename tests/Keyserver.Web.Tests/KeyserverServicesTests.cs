namespace Keyserver.Web.Tests;

public sealed class KeyserverServicesTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        using var services = ConfiguredServices.Options();

        Assert.Equal(TimeSpan.FromDays(3), services.GetRequiredService<IOptions<VerificationOptions>>().Value.TokenLifetime);
        Assert.Equal(TimeSpan.FromHours(1), services.GetRequiredService<IOptions<VerificationOptions>>().Value.MailInterval);
        Assert.Equal(TimeSpan.FromDays(14), services.GetRequiredService<IOptions<VerificationOptions>>().Value.PurgeAfter);
        Assert.False(services.GetRequiredService<IOptions<SmtpOptions>>().Value.Enabled);
        Assert.True(services.GetRequiredService<IOptions<PublicUrlOptions>>().Value.IsValid());
        Assert.Equal("outbox", services.GetRequiredService<IOptions<MailOptions>>().Value.PickupDirectory);
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
