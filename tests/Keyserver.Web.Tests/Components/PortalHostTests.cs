using System.Net.Http.Headers;
using Keyserver.Web.Components;
using Microsoft.AspNetCore.TestHost;

namespace Keyserver.Web.Tests.Components;

/// <summary>The portal in the real host: SSR form posts, antiforgery, status codes and headers.</summary>
public sealed partial class PortalHostTests : IDisposable
{
    private const string Address = "alice@example.org";
    private readonly KeyserverFactory _factory = KeyserverFactory.With(("Verification:Mode", "Email"));

    public void Dispose() => _factory.Dispose();

    private Task<TestKey> UploadAsync(string userId = $"Alice Example <{Address}>") => TestKeys.StoreAsync(_factory.Services, userId);

    private async Task<string> AddTokenAsync(TokenPurpose purpose, string? fingerprint, string address, TimeSpan expiresIn)
    {
        var token = VerificationTokens.Generate();
        var now = DateTimeOffset.UtcNow;
        await _factory.Services.GetRequiredService<IVerificationStore>().AddTokenAsync(
            new StoredToken(VerificationTokens.Hash(token), purpose, fingerprint, address, now, now + expiresIn, null));
        return token;
    }

    /// <summary>A key with <see cref="Address"/> pending, and a verify token for it valid for a day.</summary>
    private async Task<(TestKey Key, string Token)> UploadPendingAsync()
    {
        var key = await UploadAsync();
        return (key, await AddTokenAsync(TokenPurpose.Verify, key.Fingerprint, Address, TimeSpan.FromDays(1)));
    }

    private async Task<IReadOnlyList<IdentityState>> StatesAsync(string fingerprint) =>
        (await _factory.Services.GetRequiredService<IKeyStore>().GetAsync(fingerprint))!.Identities.Select(i => i.State).ToList();

    private static Task<string> AntiforgeryTokenAsync(HttpClient client, string path) => FormPages.AntiforgeryTokenAsync(client, path);

    [Fact]
    public async Task ManageRequest_IsAnsweredBeforeTheAddressIsLookedUp()
    {
        // Every lookup by address waits until the test lets it go: a page that waited for the lookup
        // (and so took longer for a known address than for an unknown one) could not answer.
        var lookups = new HeldAddressLookups();
        using var factory = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IKeyStore>(sp => lookups.Wrap(sp.GetRequiredService<LiteDbKeyStore>()))));
        using var client = factory.CreateClient();

        var antiforgery = await AntiforgeryTokenAsync(client, "/manage");
        using var response = await client.PostAsync(
            "/manage",
            new FormUrlEncodedContent([new("_handler", "manage"), new("__RequestVerificationToken", antiforgery), new("Address", Address)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("a link to manage them is on its way", await response.Content.ReadAsStringAsync());
        Assert.Equal(Address, await lookups.Requested.Task.WaitAsync(TimeSpan.FromMinutes(1)));
        lookups.Release();
    }

    /// <summary>A key store whose lookups by address are held until <see cref="Release"/>.</summary>
    private sealed class HeldAddressLookups
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Requested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IKeyStore Wrap(IKeyStore inner) => new Store(inner, this);

        public void Release() => _released.TrySetResult();

        private sealed class Store(IKeyStore inner, HeldAddressLookups held) : IKeyStore
        {
            public async Task<KeyPage> FindAsync(KeyQuery query, int offset, int limit, CancellationToken cancellationToken = default)
            {
                if (query is KeyQuery.ByEmail byEmail)
                {
                    held.Requested.TrySetResult(byEmail.Email);
                    await held._released.Task.WaitAsync(cancellationToken);
                }

                return await inner.FindAsync(query, offset, limit, cancellationToken);
            }

            public Task<KeyRecord?> GetAsync(string fingerprint, CancellationToken cancellationToken = default) => inner.GetAsync(fingerprint, cancellationToken);

            public Task<WriteOutcome> UpdateAsync(string fingerprint, Func<KeyRecord?, KeyRecord?> change, CancellationToken cancellationToken = default) =>
                inner.UpdateAsync(fingerprint, change, cancellationToken);

            public Task<IReadOnlyList<WriteOutcome>> UpdateManyAsync(IReadOnlyList<KeyChange> changes, CancellationToken cancellationToken = default) =>
                inner.UpdateManyAsync(changes, cancellationToken);

            public IAsyncEnumerable<KeyRecord> ScanAsync(CancellationToken cancellationToken = default) => inner.ScanAsync(cancellationToken);

            public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) => inner.GetStatisticsAsync(cancellationToken);
        }
    }

    [Fact]
    public async Task GetVerify_ShowsFormAndDoesNotPublish()
    {
        var (key, token) = await UploadPendingAsync();
        using var client = _factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var page = await client.GetStringAsync($"/verify/{token}");
            Assert.Contains("Publish your identity?", page);
        }

        Assert.All(await StatesAsync(key.Fingerprint), s => Assert.Equal(IdentityState.Pending, s));
    }

    [Fact]
    public async Task PostVerifyWithoutAntiforgeryToken_Returns400_AndDoesNotPublish()
    {
        var (key, token) = await UploadPendingAsync();
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync($"/verify/{token}", new FormUrlEncodedContent([new("_handler", "publish")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.All(await StatesAsync(key.Fingerprint), s => Assert.Equal(IdentityState.Pending, s));
    }

    [Fact]
    public async Task PostVerifyWithAntiforgeryToken_Publishes_AndKeyPageShowsIt()
    {
        var (key, token) = await UploadPendingAsync();
        using var client = _factory.CreateClient();
        var antiforgery = await AntiforgeryTokenAsync(client, $"/verify/{token}");

        using var response = await client.PostAsync(
            $"/verify/{token}",
            new FormUrlEncodedContent([new("_handler", "publish"), new("__RequestVerificationToken", antiforgery)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Published</h1>", await response.Content.ReadAsStringAsync());
        Assert.All(await StatesAsync(key.Fingerprint), s => Assert.Equal(IdentityState.Published, s));
        Assert.Contains("Alice Example &lt;alice@example.org&gt;", await client.GetStringAsync($"/keys/{key.Fingerprint}"));
        using var again = await client.GetAsync($"/verify/{token}");
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("already used", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownAndExpiredTokens_GetClearPagesWithStatus()
    {
        var key = await UploadAsync();
        var expired = await AddTokenAsync(TokenPurpose.Verify, key.Fingerprint, Address, TimeSpan.FromHours(-1));
        using var client = _factory.CreateClient();

        using var unknown = await client.GetAsync("/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        using var old = await client.GetAsync($"/verify/{expired}");
        using var manage = await client.GetAsync("/manage/%3Cscript%3E");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("This link is not valid", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        Assert.Contains("This link has expired", await old.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, manage.StatusCode);
        var managePage = await manage.Content.ReadAsStringAsync();
        Assert.Contains("This link is not valid", managePage);
        Assert.Contains("<nav", managePage);
        Assert.DoesNotContain("<script>", managePage);
    }

    private async Task<HttpResponseMessage> ManagePostAsync(HttpClient client, string token, string action)
    {
        var antiforgery = await AntiforgeryTokenAsync(client, $"/manage/{token}");
        return await client.PostAsync($"/manage/{token}", new FormUrlEncodedContent(
        [
            new("_handler", "manage-keys"),
            new("__RequestVerificationToken", antiforgery),
            new("Action", action),
        ]));
    }

    private async Task<(TestKey Key, string Token)> PublishedWithManageTokenAsync(string userId = $"Alice Example <{Address}>")
    {
        var key = await UploadAsync(userId);
        var store = _factory.Services.GetRequiredService<IKeyStore>();
        await store.UpdateAsync(key.Fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Published, DateTimeOffset.UtcNow));
        return (key, await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task ManageUnpublishLastIdentity_AsksFirst_ThenWithdraws_AndSearchNoLongerFindsIt()
    {
        var (key, token) = await PublishedWithManageTokenAsync();
        using var client = _factory.CreateClient();
        Assert.Contains(key.Fingerprint, await client.GetStringAsync($"/?q={Address}"));

        using var ask = await ManagePostAsync(client, token, $"unpublish:{key.Fingerprint}:Alice Example <{Address}>");

        var question = await ask.Content.ReadAsStringAsync();
        Assert.Contains("Withdraw the last published identity?", question);
        Assert.Contains($"value=\"confirm-unpublish:{key.Fingerprint}:Alice Example &lt;{Address}&gt;\"", question);
        Assert.All(await StatesAsync(key.Fingerprint), s => Assert.Equal(IdentityState.Published, s));

        using var response = await ManagePostAsync(client, token, $"confirm-unpublish:{key.Fingerprint}:Alice Example <{Address}>");

        Assert.Contains("The identity was withdrawn.", await response.Content.ReadAsStringAsync());
        Assert.All(await StatesAsync(key.Fingerprint), s => Assert.Equal(IdentityState.Unpublished, s));
        Assert.Contains("No published key matches.", await client.GetStringAsync($"/?q={Address}"));
    }

    [Fact]
    public async Task ManageUnpublishNotTheLastIdentity_WithdrawsAtOnce()
    {
        var (key, token) = await PublishedWithManageTokenAsync();
        var other = TestKeys.Create($"Alice Example <{Address}>", "Alice at Home <alice@home.example>");
        await _factory.Services.GetRequiredService<KeyIngestor>().IngestAsync(other.Binary, new IngestOptions());
        var store = _factory.Services.GetRequiredService<IKeyStore>();
        await store.UpdateAsync(other.Fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Published, DateTimeOffset.UtcNow));
        using var client = _factory.CreateClient();

        using var response = await ManagePostAsync(client, token, $"unpublish:{other.Fingerprint}:Alice Example <{Address}>");

        Assert.Contains("The identity was withdrawn.", await response.Content.ReadAsStringAsync());
        Assert.Equal([IdentityState.Published, IdentityState.Unpublished], (await StatesAsync(other.Fingerprint)).Order());
        Assert.All(await StatesAsync(key.Fingerprint), s => Assert.Equal(IdentityState.Published, s));
    }

    [Fact]
    public async Task ManageDelete_FirstPostShowsWhatGoes_SecondPostDeletes()
    {
        var key = TestKeys.Create($"Alice Example <{Address}>", "Alice Without Address");
        await _factory.Services.GetRequiredService<KeyIngestor>().IngestAsync(key.Binary, new IngestOptions());
        var store = _factory.Services.GetRequiredService<IKeyStore>();
        await store.UpdateAsync(key.Fingerprint, r => KeyRecordBuilder.WithStates(r!, i => i.Email is null ? IdentityState.Pending : IdentityState.Published, DateTimeOffset.UtcNow));
        var token = await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(1));
        using var client = _factory.CreateClient();

        using var ask = await ManagePostAsync(client, token, $"delete:{key.Fingerprint}");

        var question = await ask.Content.ReadAsStringAsync();
        Assert.Contains("Delete this key for good?", question);
        Assert.Contains(string.Join(' ', key.Fingerprint.Chunk(4).Select(c => new string(c))), question);
        Assert.Contains($"Alice Example &lt;{Address}&gt;", question);
        Assert.Contains("Alice Without Address", question);
        Assert.Contains($"value=\"confirm-delete:{key.Fingerprint}\"", question);
        Assert.NotNull(await store.GetAsync(key.Fingerprint));

        using var response = await ManagePostAsync(client, token, $"confirm-delete:{key.Fingerprint}");

        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("The key was deleted.", page);
        Assert.Contains("Nothing is published for this address any more.", page);
        Assert.Null(await store.GetAsync(key.Fingerprint));
    }

    [Fact]
    public async Task ManageConfirmDeleteOfAForeignKey_ChangesNothing()
    {
        var (_, token) = await PublishedWithManageTokenAsync();
        var (other, _) = await PublishedWithManageTokenAsync("Bob <bob@example.org>");
        using var client = _factory.CreateClient();

        using var response = await ManagePostAsync(client, token, $"confirm-delete:{other.Fingerprint}");

        Assert.Contains("Nothing to change", await response.Content.ReadAsStringAsync());
        Assert.NotNull(await _factory.Services.GetRequiredService<IKeyStore>().GetAsync(other.Fingerprint));
    }

    [Theory]
    [InlineData("")]
    [InlineData("unpublish")]
    [InlineData("delete:0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("unpublish:{0}:Someone Else <bob@example.org>")]
    [InlineData("delete:{0}")]
    [InlineData("explode:{0}")]
    [InlineData("delete:{0}:<script>alert(1)</script>")]
    public async Task ManagePostWithForeignOrMalformedAction_ChangesNothing(string action)
    {
        var key = await UploadAsync();
        var other = await UploadAsync("Bob <bob@example.org>");
        var store = _factory.Services.GetRequiredService<IKeyStore>();
        foreach (var fingerprint in new[] { key.Fingerprint, other.Fingerprint })
        {
            await store.UpdateAsync(fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Published, DateTimeOffset.UtcNow));
        }

        var token = await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(1));
        using var client = _factory.CreateClient();
        var antiforgery = await AntiforgeryTokenAsync(client, $"/manage/{token}");

        using var response = await client.PostAsync($"/manage/{token}", new FormUrlEncodedContent(
        [
            new("_handler", "manage-keys"),
            new("__RequestVerificationToken", antiforgery),
            new("Action", string.Format(System.Globalization.CultureInfo.InvariantCulture, action, other.Fingerprint)),
        ]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Nothing to change", await response.Content.ReadAsStringAsync());
        Assert.All(await StatesAsync(key.Fingerprint), s => Assert.Equal(IdentityState.Published, s));
        Assert.All(await StatesAsync(other.Fingerprint), s => Assert.Equal(IdentityState.Published, s));
    }

    [Fact]
    public async Task ManagePostWithoutAntiforgeryToken_Returns400_AndChangesNothing()
    {
        var key = await UploadAsync();
        var store = _factory.Services.GetRequiredService<IKeyStore>();
        await store.UpdateAsync(key.Fingerprint, r => KeyRecordBuilder.WithStates(r!, _ => IdentityState.Published, DateTimeOffset.UtcNow));
        var token = await AddTokenAsync(TokenPurpose.Manage, null, Address, TimeSpan.FromHours(1));
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync($"/manage/{token}", new FormUrlEncodedContent(
            [new("_handler", "manage-keys"), new("Action", $"delete:{key.Fingerprint}")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(await store.GetAsync(key.Fingerprint));
    }

    [Fact]
    public async Task UploadFile_IsIngested_AndAddressIsMailed()
    {
        var key = TestKeys.Create($"Alice Example <{Address}>");
        using var client = _factory.CreateClient();
        var antiforgery = await AntiforgeryTokenAsync(client, "/upload");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("upload"), "_handler" },
            { new StringContent(antiforgery), "__RequestVerificationToken" },
            { new StringContent(""), "Keytext" },
        };
        var file = new ByteArrayContent(key.Binary);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "keyfile", "alice.gpg");

        using var response = await client.PostAsync("/upload", form);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Added", page);
        Assert.Contains($"<li>{Address}</li>", page);
        Assert.All(await StatesAsync(key.Fingerprint), s => Assert.Equal(IdentityState.Pending, s));
    }

    [Fact]
    public async Task UploadSecretKey_IsRefusedNotStoredNotEchoed()
    {
        var key = TestKeys.Create($"Alice Example <{Address}>");
        using var client = _factory.CreateClient();
        var antiforgery = await AntiforgeryTokenAsync(client, "/upload");

        using var response = await client.PostAsync("/upload", new FormUrlEncodedContent(
            [new("_handler", "upload"), new("__RequestVerificationToken", antiforgery), new("Keytext", key.SecretArmored)]));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That was a secret key", page);
        Assert.DoesNotContain("PRIVATE KEY BLOCK", page);
        Assert.DoesNotContain(key.SecretArmored.Split('\n')[2].Trim(), page);
        Assert.Null(await _factory.Services.GetRequiredService<IKeyStore>().GetAsync(key.Fingerprint));
    }

    [Fact]
    public async Task Resend_SendsOnceThenIsThrottled_WithTheSameAnswer()
    {
        var key = await UploadAsync();
        var outbox = _factory.Services.GetRequiredService<IMailOutbox>();
        using var client = _factory.CreateClient();

        async Task<string> ResendAsync(string fingerprint, string address)
        {
            var antiforgery = await AntiforgeryTokenAsync(client, "/resend");
            using var response = await client.PostAsync("/resend", new FormUrlEncodedContent(
            [
                new("_handler", "resend"), new("__RequestVerificationToken", antiforgery),
                new("Fingerprint", fingerprint), new("Address", address),
            ]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return Regex.Replace(await response.Content.ReadAsStringAsync(), "value=\"[^\"]*\"", "");
        }

        var first = await ResendAsync(key.Fingerprint, Address);
        var second = await ResendAsync(key.Fingerprint, Address);
        var unknown = await ResendAsync("0123456789ABCDEF0123456789ABCDEF01234567", "nobody@example.org");

        Assert.Contains("a new confirmation mail is on its way", first);
        Assert.Equal(first, second);
        Assert.Equal(first, unknown);
        // The host's outbox worker writes queued mails to the pickup directory; wait until it has drained.
        for (var i = 0; i < 600 && await outbox.NextDueAsync() is not null; i++)
        {
            await Task.Delay(100);
        }

        Assert.Null(await outbox.NextDueAsync());
        var pickup = Path.Combine(_factory.DataDirectory, "outbox");
        var mails = Directory.GetFiles(pickup, "*.eml").Select(File.ReadAllText).ToList();
        Assert.Single(mails, m => m.Contains($"To: {Address}", StringComparison.OrdinalIgnoreCase) || m.Contains($"<{Address}>", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/about")]
    [InlineData("/keys/0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("/site.css")]
    [InlineData("/pks/lookup?op=index&search=nobody%40example.org")]
    public async Task Responses_CarrySecurityHeaders(string path)
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Pages_AreResponsiveAndUseOnlyLocalAssets()
    {
        using var client = _factory.CreateClient();

        var page = await client.GetStringAsync("/");
        var css = await client.GetStringAsync("/site.css");

        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"", page);
        // Commands on the page name the server's URL; assets and links never point elsewhere.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", page);
        Assert.Contains("@media (max-width", css);
        Assert.Contains("<main", page);
        Assert.Contains("<nav", page);
    }

    [Fact]
    public async Task UnknownKey_GetsItsOwnPage()
    {
        var page = await GetNotFoundAsync("/keys/0123456789ABCDEF0123456789ABCDEF01234567");

        Assert.Contains("Key not found", page);
        Assert.Contains("<nav", page);
    }

    public static TheoryData<string> UnknownUrls => new()
    {
        "/no/such/page",
        "/not-found",
        "/keys",
        "/%3Cscript%3Ealert(1)%3C/script%3E",
    };

    [Theory]
    [MemberData(nameof(UnknownUrls))]
    public async Task UnknownUrl_IsAStyled404(string path)
    {
        var page = await GetNotFoundAsync(path);

        Assert.Contains("<h1>Page not found</h1>", page);
        Assert.Contains("<nav", page);
        Assert.Contains("site.css", page);
        Assert.DoesNotContain("<script>", page);
    }

    [Fact]
    public async Task PostToUnknownUrl_Is404WithoutAStackTrace()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync("/no/such/page", new FormUrlEncodedContent([new("a", "b")]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> GetNotFoundAsync(string path)
    {
        using var client = _factory.CreateClient();
        return await FormPages.GetPageAsync(client, path, HttpStatusCode.NotFound);
    }
}
