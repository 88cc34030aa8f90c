using Microsoft.AspNetCore.Mvc.Testing;

namespace Keyserver.Web.Tests.Admin;

/// <summary>
/// The real host with one admin address, mail written to the pickup directory under its data
/// directory, and clients that keep cookies but do not follow redirects.
/// </summary>
internal sealed class AdminHost : IDisposable
{
    public const string Admin = "admin@example.org";

    public AdminHost(params (string Key, string? Value)[] settings)
    {
        Factory = KeyserverFactory.With([("Verification:Mode", "Email"), ("Admin:Addresses:0", Admin), .. settings]);
    }

    public KeyserverFactory Factory { get; }

    public IServiceProvider Services => Factory.Services;

    public string Outbox => Path.Combine(Factory.DataDirectory, "outbox");

    public HttpClient Client() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Asks for a sign-in link for <paramref name="address"/> on the sign-in page and returns the page's answer.</summary>
    public static async Task<string> RequestLinkAsync(HttpClient client, string address)
    {
        using var response = await FormPages.PostFormAsync(client, "/admin/signin", "admin-signin", ("Address", address));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sign-in link mailed to <see cref="Admin"/>, the <paramref name="nth"/> one (1-based).</summary>
    public async Task<string> MailedLinkAsync(int nth = 1)
    {
        var links = await Eventually.ValueAsync(
            async () =>
            {
                var found = new List<string>();
                foreach (var file in Directory.Exists(Outbox) ? Directory.GetFiles(Outbox, "*.eml") : [])
                {
                    var message = await MimeMessage.LoadAsync(file);
                    if (message.Subject?.StartsWith("Sign in to the admin console", StringComparison.Ordinal) == true)
                    {
                        found.Add(MailComposer.LinkOf(message)!);
                    }
                }

                return found.Count >= nth ? found : null;
            },
            () => $"{nth} sign-in mail(s) in {Outbox}");
        return new Uri(links.Order(StringComparer.Ordinal).Last()).AbsolutePath;
    }

    /// <summary>Presses Sign in on the page of <paramref name="linkPath"/>.</summary>
    public static Task<HttpResponseMessage> UseLinkAsync(HttpClient client, string linkPath) =>
        FormPages.PostFormAsync(client, linkPath, "admin-signin-link");

    /// <summary>A client signed in as <see cref="Admin"/> through a mailed link.</summary>
    public async Task<HttpClient> SignedInClientAsync()
    {
        var client = Client();
        await RequestLinkAsync(client, Admin);
        using var response = await UseLinkAsync(client, await MailedLinkAsync());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public void Dispose() => Factory.Dispose();
}
