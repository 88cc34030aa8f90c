using System.Diagnostics;

namespace SifSign.Tests.Keys;

public class KeyringTests
{
    private const string FixtureKey = "/usr/share/gocode/src/github.com/sylabs/sif/test/keys/private.asc";
    private const string FixtureFingerprint = "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84";

    private static PgpSecretKeyRing NewKey(string name = "Test User") =>
        KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, name, "test@example.org", string.Empty, null), DateTime.UtcNow);

    private static (Keyring Keyring, PgpSecretKeyRing First, PgpSecretKeyRing Second) KeyringWithTwoSecretKeys(TempDirectory dir)
    {
        var keyring = new Keyring(dir.Path);
        var first = NewKey("First");
        var second = NewKey("Second");
        keyring.Import(new KeyFileContents([], [first, second]));
        return (keyring, first, second);
    }

    [Fact]
    public void ReadPublic_MissingFiles_ReturnsEmpty()
    {
        using var dir = new TempDirectory();
        var keyring = new Keyring(Path.Combine(dir.Path, "keys"));

        Assert.Empty(keyring.ReadPublic());
        Assert.Empty(keyring.ReadSecret());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Import_SecretKey_WritesBothRingsWithPrivateModes()
    {
        using var dir = new TempDirectory();
        var keyring = new Keyring(Path.Combine(dir.Path, "keys"));
        var key = NewKey();

        var results = keyring.Import(new KeyFileContents([], [key]));

        Assert.All(results, r => Assert.True(r.Added));
        Assert.Equal(KeyIdentity.Fingerprint(key.GetPublicKey()), KeyIdentity.Fingerprint(Assert.Single(keyring.ReadSecret()).GetPublicKey()));
        Assert.Equal(KeyIdentity.Fingerprint(key.GetPublicKey()), KeyIdentity.Fingerprint(Assert.Single(keyring.ReadPublic()).GetPublicKey()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keyring.Directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyring.PublicPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyring.SecretPath));
        Assert.Empty(Directory.GetFiles(keyring.Directory, "*.tmp"));
    }

    [Fact]
    public void Import_SameKeyTwice_ReportsNotAddedAndKeepsOneCopy()
    {
        using var dir = new TempDirectory();
        var keyring = new Keyring(dir.Path);
        var key = NewKey();
        keyring.Import(new KeyFileContents([], [key]));

        var second = keyring.Import(new KeyFileContents([Keyring.PublicPart(key)], [key]));

        Assert.All(second, r => Assert.False(r.Added));
        Assert.Single(keyring.ReadPublic());
        Assert.Single(keyring.ReadSecret());
    }

    [Fact]
    public void PublicKeyring_IsBinaryConcatenation_ReadableByAnotherParser()
    {
        using var dir = new TempDirectory();
        var (keyring, first, second) = KeyringWithTwoSecretKeys(dir);

        var bytes = File.ReadAllBytes(keyring.PublicPath);
        var bundle = new PgpPublicKeyRingBundle(bytes);

        // Binary, not armor: an OpenPGP packet tag byte has the high bit set.
        Assert.True((bytes[0] & 0x80) != 0);
        Assert.Equal(2, bundle.Count);
    }

    [Fact]
    public void RemovePublic_ByFingerprint_LeavesOtherKeysAndSecretRing()
    {
        using var dir = new TempDirectory();
        var (keyring, first, second) = KeyringWithTwoSecretKeys(dir);

        var removed = keyring.RemovePublic(KeyIdentity.Fingerprint(first.GetPublicKey()));

        Assert.True(removed);
        Assert.Equal(KeyIdentity.Fingerprint(second.GetPublicKey()), KeyIdentity.Fingerprint(Assert.Single(keyring.ReadPublic()).GetPublicKey()));
        Assert.Equal(2, keyring.ReadSecret().Count);
    }

    [Fact]
    public void RemoveSecret_UnknownFingerprint_ReturnsFalseAndChangesNothing()
    {
        using var dir = new TempDirectory();
        var keyring = new Keyring(dir.Path);
        keyring.Import(new KeyFileContents([], [NewKey()]));
        var before = File.ReadAllBytes(keyring.SecretPath);

        Assert.False(keyring.RemoveSecret(new string('A', 40)));
        Assert.Equal(before, File.ReadAllBytes(keyring.SecretPath));
    }

    [Fact]
    public void ReadPublic_CorruptFile_ThrowsKeyringExceptionNamingTheFile()
    {
        using var dir = new TempDirectory();
        var keyring = new Keyring(dir.Path);
        File.WriteAllBytes(keyring.PublicPath, [0x99, 0x01, 0xFF, 0x04, 0x00]);

        var e = Assert.Throws<KeyringException>(() => keyring.ReadPublic());
        Assert.Contains(keyring.PublicPath, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicPart_SecretWithSubkey_KeepsSubkeyAsSubkey()
    {
        var key = NewKey();

        var publicRing = Keyring.PublicPart(key);

        var keys = publicRing.GetPublicKeys().ToList();
        Assert.Equal(2, keys.Count);
        Assert.True(keys[0].IsMasterKey);
        Assert.False(keys[1].IsMasterKey);
        Assert.Equal(key.GetPublicKeys().Last().KeyId, keys[1].KeyId);
    }

    [Fact]
    public void ReadFile_DebianFixtureKey_ReadsTheUnitTestSecretKey()
    {
        var contents = KeyFile.ReadFile(FixtureKey, missingIsEmpty: false);

        var secret = Assert.Single(contents.SecretKeys);
        Assert.Equal(FixtureFingerprint, KeyIdentity.Fingerprint(secret.GetPublicKey()));
        Assert.Equal("Unit Test <unit@test.com>", KeyIdentity.PrimaryUserId(secret.GetPublicKey()));
    }

    [Trait(TestCategories.Category, TestCategories.External)]
    [Fact]
    public void ReadFile_KeyringExportedByGpg_ReadsEveryKey()
    {
        using var dir = new TempDirectory();
        var home = Path.Combine(dir.Path, "gnupg");
        Directory.CreateDirectory(home);
        RunGpg(home, "--quick-generate-key", "Alice <alice@example.org>", "ed25519", "sign", "never");
        RunGpg(home, "--quick-generate-key", "Bob <bob@example.org>", "rsa2048", "sign", "never");
        var exported = Path.Combine(dir.Path, "exported.gpg");
        RunGpg(home, "--output", exported, "--export");

        var contents = KeyFile.ReadFile(exported, missingIsEmpty: false);

        Assert.Equal(
            ["Alice <alice@example.org>", "Bob <bob@example.org>"],
            contents.PublicKeys.Select(ring => KeyIdentity.PrimaryUserId(ring.GetPublicKey())).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReadFile_ArmoredAndBinaryOfSameKey_GiveSameFingerprint()
    {
        using var dir = new TempDirectory();
        var key = NewKey();
        var armored = Path.Combine(dir.Path, "key.asc");
        var binary = Path.Combine(dir.Path, "key.gpg");
        File.WriteAllBytes(armored, KeyFile.Encode([key], armor: true));
        File.WriteAllBytes(binary, KeyFile.Encode([key], armor: false));

        var fromArmor = Assert.Single(KeyFile.ReadFile(armored, false).SecretKeys);
        var fromBinary = Assert.Single(KeyFile.ReadFile(binary, false).SecretKeys);

        Assert.StartsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n", File.ReadAllText(armored), StringComparison.Ordinal);
        Assert.Equal(KeyIdentity.Fingerprint(fromArmor.GetPublicKey()), KeyIdentity.Fingerprint(fromBinary.GetPublicKey()));
    }

    [Fact]
    public void Read_SeveralArmoredBlocksWithTextBetween_ReadsEveryKey()
    {
        var first = KeyringPublicPart(NewKey("First"));
        var second = KeyringPublicPart(NewKey("Second"));
        var secret = NewKey("Third");
        var text = "Keys for the team:\n"
            + System.Text.Encoding.ASCII.GetString(KeyFile.Encode([first], armor: true))
            + "\nand the next one\n"
            + System.Text.Encoding.ASCII.GetString(KeyFile.Encode([second], armor: true))
            + System.Text.Encoding.ASCII.GetString(KeyFile.Encode([secret], armor: true));
        using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(text));

        var contents = KeyFile.Read(stream, "team.asc");

        Assert.Equal(
            new[] { first, second }.Select(k => KeyIdentity.Fingerprint(k.GetPublicKey())),
            contents.PublicKeys.Select(k => KeyIdentity.Fingerprint(k.GetPublicKey())));
        Assert.Equal(KeyIdentity.Fingerprint(secret.GetPublicKey()), KeyIdentity.Fingerprint(Assert.Single(contents.SecretKeys).GetPublicKey()));
    }

    private static PgpPublicKeyRing KeyringPublicPart(PgpSecretKeyRing key) => Keyring.PublicPart(key);

    [Theory]
    [InlineData("not a key at all\n")]
    [InlineData("SIF_MAGIC")]
    [InlineData("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----\n")]
    public void Read_GarbageInput_ThrowsKeyringException(string text)
    {
        using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(text));

        var e = Assert.Throws<KeyringException>(() => KeyFile.Read(stream, "input.txt"));
        Assert.Contains("input.txt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RandomBytes_ThrowsKeyringExceptionNotAnotherException()
    {
        var random = new Random(1234);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 512)];
            random.NextBytes(bytes);
            using var stream = new MemoryStream(bytes);
            try
            {
                var contents = KeyFile.Read(stream, "random");
                Assert.NotNull(contents);
            }
            catch (KeyringException)
            {
                // The only acceptable failure.
            }
        }
    }

    private static void RunGpg(string home, params string[] args)
    {
        var start = new ProcessStartInfo("gpg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", string.Empty })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"gpg {string.Join(' ', args)} failed: {stderr.Result}");
    }
}
