namespace Interop.Tests.Keyserver;

/// <summary>GnuPG 2.2.40 (gpg + dirmngr) against the real server: spec/hkp.md §1.10 and §9.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
[Collection(KeyserverCollection.Name)]
public sealed class GpgClientTests(KeyserverFixture fixture)
{
    private readonly KeyserverProcess _server = fixture.Server;

    [Fact]
    public async Task SendKeys_NewKey_ExitsZeroAndServerHasKey()
    {
        using var alice = GpgHome.Create(_server.BaseUri);
        var fingerprint = alice.GenerateKey($"Alice <{Unique("alice")}>");

        // dirmngr reports anything but HTTP 200 as a failure, so exit code 0 means the server said 200.
        var sent = alice.Run("--send-keys", fingerprint);

        Assert.True(sent.ExitCode == 0, sent.ToString() + _server);
        using var http = _server.CreateClient();
        using var response = await http.GetAsync(new Uri($"pks/lookup?op=get&options=mr&search=0x{fingerprint}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rings = TestKeys.ReadPublicKeyRings(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(fingerprint, TestKeys.Fingerprint(Assert.Single(rings).GetPublicKey()));
    }

    [Theory]
    [MemberData(nameof(IdForms))]
    public void RecvKeys_ByIdForm_ImportsKey(IdForm form)
    {
        using var alice = GpgHome.Create(_server.BaseUri);
        using var bob = GpgHome.Create(_server.BaseUri);
        var fingerprint = alice.GenerateKey($"Alice <{Unique("recv")}>");
        alice.Run("--send-keys", fingerprint).EnsureSuccess();
        var id = form switch
        {
            IdForm.ShortKeyId => "0x" + fingerprint[^8..],
            IdForm.LongKeyId => "0x" + fingerprint[^16..],
            IdForm.Fingerprint => fingerprint,
            _ => "0x" + Assert.Single(alice.SubkeyIds(fingerprint)),
        };

        var received = bob.Run("--recv-keys", id);

        Assert.True(received.ExitCode == 0, received.ToString());
        Assert.Contains("IMPORT_OK", received.StandardError, StringComparison.Ordinal);
        Assert.Equal([fingerprint], bob.Fingerprints());
    }

    public static TheoryData<IdForm> IdForms => new(Enum.GetValues<IdForm>());

    [Fact]
    public void SearchKeys_ByEmail_ListsKeyThatThenImports()
    {
        using var alice = GpgHome.Create(_server.BaseUri);
        using var bob = GpgHome.Create(_server.BaseUri);
        var email = Unique("search");
        var fingerprint = alice.GenerateKey($"Alice Search <{email}>");
        alice.Run("--send-keys", fingerprint).EnsureSuccess();

        var search = bob.Run("--with-colons", "--search-keys", email);

        // --with-colons echoes the machine-readable index; in --batch gpg lists and does not import.
        var lines = search.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var pub = Assert.Single(lines, l => l.StartsWith("pub:", StringComparison.Ordinal));
        Assert.Equal(fingerprint, pub.Split(':')[1], ignoreCase: true);
        Assert.Contains(lines, l => l.StartsWith("uid:", StringComparison.Ordinal)
            && Uri.UnescapeDataString(l.Split(':')[1]) == $"Alice Search <{email}>");
        Assert.Contains(lines, l => l.StartsWith("info:1:1", StringComparison.Ordinal));

        bob.Run("--recv-keys", pub.Split(':')[1]).EnsureSuccess();
        var listed = bob.ListKeys(email);
        Assert.Contains(listed, r => r[0] == "fpr" && r[9] == fingerprint);
        Assert.Contains(listed, r => r[0] == "uid" && r[9] == $"Alice Search <{email}>");
    }

    [Fact]
    public void LocateKeys_KeyserverMechanism_ImportsKeyByEmail()
    {
        using var alice = GpgHome.Create(_server.BaseUri);
        using var bob = GpgHome.Create(_server.BaseUri);
        var email = Unique("locate");
        var fingerprint = alice.GenerateKey($"Alice Locate <{email}>");
        alice.Run("--send-keys", fingerprint).EnsureSuccess();

        // §1.10: op=get&options=mr&search=<address>&exact=on.
        var located = bob.Run("--auto-key-locate", "clear,keyserver", "--locate-keys", email);

        Assert.True(located.ExitCode == 0, located.ToString());
        Assert.Equal([fingerprint], bob.Fingerprints());
    }

    [Fact]
    public void SearchKeys_UnknownEmail_ReportsNotFound()
    {
        using var bob = GpgHome.Create(_server.BaseUri);

        var search = bob.Run("--with-colons", "--search-keys", Unique("nobody"));

        Assert.NotEqual(0, search.ExitCode);
        Assert.Contains("not found", search.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(bob.Fingerprints());
    }

    [Fact]
    public void RefreshKeys_UserIdRevokedAfterFirstFetch_RevocationArrives()
    {
        using var alice = GpgHome.Create(_server.BaseUri);
        using var bob = GpgHome.Create(_server.BaseUri);
        var work = $"Alice Work <{Unique("work")}>";
        var fingerprint = alice.GenerateKey($"Alice <{Unique("home")}>");
        alice.AddUserId(fingerprint, work);
        alice.Run("--send-keys", fingerprint).EnsureSuccess();
        bob.Run("--recv-keys", fingerprint).EnsureSuccess();
        Assert.Contains(bob.ListKeys(fingerprint), r => r[0] == "uid" && r[9] == work && r[1] != "r");

        alice.RevokeUserId(fingerprint, work);
        alice.Run("--send-keys", fingerprint).EnsureSuccess();
        var refreshed = bob.Run("--refresh-keys");

        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        Assert.Contains(bob.ListKeys(fingerprint), r => r[0] == "uid" && r[9] == work && r[1] == "r");
    }

    [Fact]
    public void RefreshKeys_KeyRevokedAfterFirstFetch_RevocationArrives()
    {
        using var alice = GpgHome.Create(_server.BaseUri);
        using var bob = GpgHome.Create(_server.BaseUri);
        var fingerprint = alice.GenerateKey($"Alice <{Unique("revoked")}>");
        alice.Run("--send-keys", fingerprint).EnsureSuccess();
        bob.Run("--recv-keys", fingerprint).EnsureSuccess();
        Assert.Contains(bob.ListKeys(fingerprint), r => r[0] == "pub" && r[1] != "r");

        // gpg writes a revocation certificate at key generation; its armor line is commented out with ':'.
        var certificate = File.ReadAllText(Path.Combine(alice.Path, "openpgp-revocs.d", fingerprint + ".rev"))
            .Replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal);
        var revocation = Path.Combine(alice.Path, "revocation.asc");
        File.WriteAllText(revocation, certificate);
        alice.Run("--import", revocation).EnsureSuccess();
        alice.Run("--send-keys", fingerprint).EnsureSuccess();
        var refreshed = bob.Run("--refresh-keys");

        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        Assert.Contains(bob.ListKeys(fingerprint), r => r[0] == "pub" && r[1] == "r");
    }

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}@example.org";

    public enum IdForm
    {
        ShortKeyId,
        LongKeyId,
        Fingerprint,
        SubkeyId,
    }
}
