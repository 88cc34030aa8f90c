using Keyserver.Contracts;

namespace Keyserver.Web.Tests.Components;

/// <summary>
/// A bUnit context with the services the portal's pages use, over a fresh LiteDB file: the key store,
/// the ingestor, and the verification service with its token store and outbox.
/// </summary>
public abstract class PortalContext : BunitContext
{
    private readonly TestStore _data;

    protected PortalContext(PublicationMode mode = PublicationMode.Email)
    {
        _data = new TestStore(mode);
        Store = _data.Store;
        Tokens = new LiteDbVerificationStore(_data.Context);
        Outbox = new LiteDbMailOutbox(_data.Context);
        Ingestor = _data.Ingestor;
        Verification = new VerificationService(
            Store, Tokens, Outbox, new VerificationSettings(mode, TimeSpan.FromDays(2), TimeSpan.FromMinutes(10), TimeSpan.FromDays(14)), TimeProvider.System);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IKeyStore>(Store);
        Services.AddSingleton(Ingestor);
        Services.AddSingleton(Verification);
        Services.AddSingleton(new KeySubmission(Ingestor, Verification, NullLogger<KeySubmission>.Instance));
        ManageLinks = new ManageLinkRequests(Verification, NullLogger<ManageLinkRequests>.Instance);
        ManageLinks.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        Services.AddSingleton(ManageLinks);
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddOptions<SearchOptions>();
        Services.AddOptions<LimitsOptions>();
        Services.AddOptions<Keyserver.Web.Site.SiteOptions>();
        Services.AddOptions<PublicUrlOptions>().Configure(o => o.PublicUrl = "https://keys.example.org");
    }

    internal LiteDbKeyStore Store { get; }

    internal LiteDbVerificationStore Tokens { get; }

    internal LiteDbMailOutbox Outbox { get; }

    internal KeyIngestor Ingestor { get; }

    internal VerificationService Verification { get; }

    /// <summary>The background worker of /manage, running for the test.</summary>
    internal ManageLinkRequests ManageLinks { get; }

    /// <summary>Generates a key with these user IDs and uploads it; returns it and its stored record.</summary>
    internal async Task<(TestKey Key, KeyRecord Record)> UploadAsync(params string[] userIds)
    {
        var key = TestKeys.Create(userIds);
        var report = await Ingestor.IngestAsync(key.Binary, new IngestOptions());
        Assert.True(report.AnyAccepted, string.Join("; ", report.Errors.Concat(report.Keys.Select(k => k.Reason ?? ""))));
        return (key, (await Store.GetAsync(key.Fingerprint))!);
    }

    /// <summary>Publishes every identity of a stored key, as a confirmed mail would.</summary>
    internal async Task<KeyRecord> PublishAllAsync(string fingerprint)
    {
        await Store.UpdateAsync(fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Published, DateTimeOffset.UtcNow));
        return (await Store.GetAsync(fingerprint))!;
    }

    /// <summary>Replaces the primary key's facts (revocation, expiry) of a stored record; the store keeps records as given.</summary>
    internal async Task ReplacePrimaryAsync(KeyRecord record, KeyInfo primary) =>
        await Store.UpdateAsync(record.Fingerprint, _ => TestRecords.Copy(record, primary: primary));

    /// <summary>Stores a token as the verification service would have issued it; returns the token text.</summary>
    internal async Task<string> AddTokenAsync(TokenPurpose purpose, string? fingerprint, string address, TimeSpan expiresIn, bool used = false)
    {
        var token = VerificationTokens.Generate();
        var now = DateTimeOffset.UtcNow;
        await Tokens.AddTokenAsync(new StoredToken(
            VerificationTokens.Hash(token), purpose, fingerprint, address, now - TimeSpan.FromHours(3), now + expiresIn, used ? now : null));
        return token;
    }

    /// <summary>Asserts that <paramref name="page"/> is the refusal titled <paramref name="heading"/> and shows nothing matching <paramref name="absent"/>.</summary>
    protected static void AssertRefused<TPage>(IRenderedComponent<TPage> page, string heading, string absent)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        Assert.Equal(heading, page.Find("h1").TextContent);
        Assert.Empty(page.FindAll(absent));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            ManageLinks.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            ManageLinks.Dispose();
            _data.Dispose();
        }
    }
}
