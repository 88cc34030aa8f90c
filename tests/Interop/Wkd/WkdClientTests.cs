using Interop.Tests.Portal;

namespace Interop.Tests.Wkd;

/// <summary>
/// gpg, sq and gpg-wks-client find keys in our Web Key Directory over HTTPS, in the advanced form
/// (<c>openpgpkey.example.org</c> resolves) and the direct form (<c>openpgpkey.example.net</c> does
/// not, so the clients fall back to <c>example.net</c> itself), as draft-koch-openpgp-webkey-service-22
/// §3.1 describes; a pending identity is never found, and an unpublished one is gone.
/// </summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed class WkdClientTests
{
    private const string Advanced = "Joe.Doe@example.org";
    private const string Direct = "joe@example.net";
    private const string AdvancedUserId = "Joe Doe <" + Advanced + ">";
    private const string DirectUserId = "Joe Net <" + Direct + ">";

    private static readonly string[] Names = ["openpgpkey.example.org", "example.org", "example.net"];

    private static (string Sq, string WksClient) Clients() =>
        (Tools.Require("sq", "sq"), Tools.RequireFile("/usr/lib/gnupg/gpg-wks-client", "gpg-wks-client"));

    /// <summary>The lab serving example.org (advanced form) and example.net (direct form only).</summary>
    private static Task<WkdLab> StartLabAsync(string verificationMode) => WkdLab.StartAsync(Names, new Dictionary<string, string>
    {
        ["Verification__Mode"] = verificationMode,
        ["Keyserver__PublicUrl"] = MailLinks.PublicUrl,
        ["Wkd__Domains__0"] = "example.org",
        ["Wkd__Domains__1"] = "example.net",
    });

    [Fact]
    public async Task RealClients_BothForms_PendingNotFound_UnpublishedGone()
    {
        var (sq, wksClient) = Clients();
        await using var lab = await StartLabAsync("Email");
        using var portal = new PortalClient(WkdLab.BaseUri, lab.Handler());

        using var owner = GpgHome.Create();
        var fingerprint = owner.GenerateKey(AdvancedUserId);
        owner.AddUserId(fingerprint, DirectUserId);
        owner.AddUserId(fingerprint, "Joe Private <joe@private.example>");
        using (var upload = await portal.Http.PostAsync(
                   new Uri("pks/add", UriKind.Relative), new FormUrlEncodedContent([new("keytext", owner.ExportArmored(fingerprint))])))
        {
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        }

        // Uploaded, not yet confirmed: no client finds it.
        await AssertNotFoundAsync(lab, sq, wksClient, Advanced);

        foreach (var address in new[] { Advanced, Direct })
        {
            var verify = await PickupMail.WaitForLinkPathAsync(lab.DataDirectory, address, "verify");
            var (_, html) = await portal.GetAsync(verify);
            Assert.Contains("<h1>Published</h1>", (await portal.SubmitAsync(verify, html)).Html);
        }

        await AssertFoundAsync(lab, sq, wksClient, Advanced, fingerprint, AdvancedUserId);
        await lab.WaitForOutputAsync("GET /.well-known/openpgpkey/example.org/hu/***?l=*** 200");
        await AssertFoundAsync(lab, sq, wksClient, Direct, fingerprint, DirectUserId);
        await lab.WaitForOutputAsync("GET /.well-known/openpgpkey/hu/***?l=*** 200");

        // The owner withdraws the example.org identity through the manage flow: gone from the directory.
        var (_, manageForm) = await portal.GetAsync("/manage");
        await portal.SubmitAsync("/manage", manageForm, [new("Address", Advanced)]);
        var manage = await PickupMail.WaitForLinkPathAsync(lab.DataDirectory, Advanced, "manage");
        var (_, keys) = await portal.GetAsync(manage);
        var (_, withdrawn) = await portal.SubmitAsync(manage, keys, [new("Action", $"unpublish:{fingerprint}:{AdvancedUserId}")]);
        Assert.Contains("The identity was withdrawn.", withdrawn, StringComparison.Ordinal);

        await AssertNotFoundAsync(lab, sq, wksClient, Advanced);
        await AssertFoundAsync(lab, sq, wksClient, Direct, fingerprint, DirectUserId);
    }

    [Fact]
    public async Task RealClients_NonAsciiCapitals_GpgAndSqBothFindIt()
    {
        var (sq, wksClient) = Clients();
        await using var lab = await StartLabAsync("None");
        using var http = lab.CreateClient();
        using var owner = GpgHome.Create();
        const string userId = "Jörg <JÖRG@example.org>";
        var fingerprint = owner.GenerateKey(userId);
        using (var upload = await http.PostAsync(
                   new Uri("pks/add", UriKind.Relative), new FormUrlEncodedContent([new("keytext", owner.ExportArmored(fingerprint))])))
        {
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        }

        // gpg asks for the hash of "jÖrg" (ASCII lowering) ...
        await AssertGpgFindsAsync(lab, wksClient, "JÖRG@example.org", fingerprint);

        // ... sq for that of "jörg" (Unicode lowering). sq 0.27's own `wkd get` stops before sending
        // anything ("invalid uri character" for the non-ASCII l=), so its URL is fetched here.
        var url = await ProcessRunner.RunAsync(sq, "wkd", "url", "JÖRG@example.org");
        var sqUri = new Uri(url.EnsureSuccess().StandardOutput.Trim());
        Assert.Contains("/hu/h8ghzysw1a49fnopr45hii67zzgshjt8", sqUri.AbsolutePath, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sqUri.PathAndQuery, UriKind.Relative));
        request.Headers.Host = sqUri.Host;
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal([fingerprint], KeyRings.Fingerprints(await response.Content.ReadAsByteArrayAsync()));
    }

    private static async Task AssertFoundAsync(WkdLab lab, string sq, string wksClient, string address, string fingerprint, string userId)
    {
        await AssertGpgFindsAsync(lab, wksClient, address, fingerprint);

        // gpg imports through its own keep-uid filter, so the UIDs it shows prove nothing about the
        // server; sq keeps every UID it receives.
        var fetched = await lab.RunInsideAsync(sq, "wkd", "get", address);
        Assert.True(fetched.ExitCode == 0, $"{fetched}\n{lab}");
        var ring = Assert.Single(KeyRings.ReadPublic(Encoding.UTF8.GetBytes(fetched.StandardOutput)));
        Assert.Equal(fingerprint, KeyRings.Fingerprint(ring.GetPublicKey()));
        Assert.Equal([userId], ring.GetPublicKey().GetUserIds().ToList());
    }

    /// <summary>gpg (a fresh home, WKD only) imports the key, and gpg-wks-client finds it.</summary>
    private static async Task AssertGpgFindsAsync(WkdLab lab, string wksClient, string address, string fingerprint)
    {
        using var gpg = GpgHome.Create();
        var located = await LocateAsync(lab, gpg, address);
        Assert.True(located.ExitCode == 0, $"{located}\n{lab}");
        Assert.Equal([fingerprint], gpg.Fingerprints());

        var check = await lab.RunInsideAsync("env", $"GNUPGHOME={gpg.Path}", wksClient, "--check", address);
        Assert.True(check.ExitCode == 0, $"{check}\n{lab}");
    }

    private static async Task AssertNotFoundAsync(WkdLab lab, string sq, string wksClient, string address)
    {
        using (var gpg = GpgHome.Create())
        {
            var located = await LocateAsync(lab, gpg, address);
            Assert.True(located.ExitCode != 0, $"{located}\n{lab}");
            Assert.Empty(gpg.Fingerprints());
            var check = await lab.RunInsideAsync("env", $"GNUPGHOME={gpg.Path}", wksClient, "--check", address);
            Assert.True(check.ExitCode != 0, $"{check}\n{lab}");
        }

        var fetched = await lab.RunInsideAsync(sq, "wkd", "get", address);
        Assert.True(fetched.ExitCode != 0, $"{fetched}\n{lab}");
    }

    private static async Task<ProcessResult> LocateAsync(WkdLab lab, GpgHome gpg, string address)
    {
        var result = await lab.RunInsideAsync(
            "gpg", "--homedir", gpg.Path, "--batch", "--no-tty", "--auto-key-locate", "clear,nodefault,wkd", "--locate-keys", address);
        // dirmngr was started inside the lab: stop it there, with the lab.
        await lab.RunInsideAsync("gpgconf", "--homedir", gpg.Path, "--kill", "all");
        return result;
    }
}
