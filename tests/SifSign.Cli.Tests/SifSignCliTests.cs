using System.CommandLine;
using System.Runtime.CompilerServices;
using SifSign.Cli.Commands;
using SifSign.Cli.Commands.Ecl;
using SifSign.Cli.Commands.Key;
using SifSign.Cli.Commands.Keyserver;
using SifSign.Cli.Commands.Sif;

namespace SifSign.Cli.Tests;

/// <summary>The command tree parses every command and option without running anything.</summary>
public class SifSignCliTests
{
    private static ParseResult Parse(string commandLine)
    {
        using var cli = new CliHarness();
        return SifSignCli.CreateRoot(cli.Context).Parse(commandLine);
    }

    private static T Command<T>(ParseResult parse)
        where T : Command
    {
        Assert.Empty(parse.Errors);
        return Assert.IsType<T>(parse.CommandResult.Command);
    }

    [Fact]
    public void Sign_AllOptions_Parse()
    {
        var parse = Parse("sign -k 2 --group-id 3 --passphrase-file pw.txt -d /keys image.sif");
        var sign = Command<SignCommand>(parse);

        Assert.Equal(2, parse.GetValue(sign.KeyIndex));
        Assert.Equal(3u, parse.GetValue(sign.GroupId));
        Assert.Null(parse.GetValue(sign.SifId));
        Assert.Equal("pw.txt", parse.GetValue(sign.PassphraseFile)!.Name);
        Assert.Equal("image.sif", parse.GetValue(sign.Image));
        Assert.Equal("/keys", parse.GetValue<string?>("--keysdir"));
    }

    [Theory]
    [InlineData("sign --id 4 a.sif")]
    [InlineData("sign -i 4 a.sif")]
    [InlineData("sign --sif-id 4 a.sif")]
    public void Sign_SifIdAliases_Parse(string commandLine)
    {
        var parse = Parse(commandLine);

        Assert.Equal(4u, parse.GetValue(Command<SignCommand>(parse).SifId));
    }

    [Theory]
    [MemberData(nameof(InvalidCommandLines))]
    public void InvalidCommandLines_ReportParseErrors(string commandLine, string error)
    {
        var parse = Parse(commandLine);

        Assert.Contains(parse.Errors, e => e.Message.Contains(error, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> InvalidCommandLines => new()
    {
        { "sign --group-id 1 --sif-id 2 a.sif", "--group-id and --sif-id cannot be used together" },
        { "sign a.sif b.sif", "Unrecognized command or argument 'b.sif'" },
        { "sign", "Required argument missing" },
        { "sign --group-id x a.sif", "Cannot parse argument 'x'" },
        { "verify --sif-id 1 --groupid 1 a.sif", "--group-id and --sif-id cannot be used together" },
        { "key remove -g -s ABCD1234", "--global manages public keys only" },
        { "key list --global --secret", "--global manages public keys only" },
        { "key export ABCD1234", "Required argument missing" },
        { "key newpair --algorithm dsa", "Cannot parse argument 'dsa'" },
        { "nosuchcommand", "Unrecognized command or argument 'nosuchcommand'" },
        { "key newpem --algorithm dsa k.pem", "'dsa'" },
        { "key newpem", "Required argument missing" },
        { "key newpem -b many k.pem", "Cannot parse argument 'many'" },
        { "ecl check", "Required argument missing" },
        { "ecl check a.sif b.sif", "Unrecognized command or argument 'b.sif'" },
        { "verify --ocsp-verify maybe a.sif", "Unrecognized command or argument" },
        { "sign --key a.sif", "Required argument missing" },
    };

    [Fact]
    public void Verify_AllOptions_Parse()
    {
        var parse = Parse("verify -g 1 --legacy-insecure -a -l -u hkps://k.test -j image.sif");
        var verify = Command<VerifyCommand>(parse);

        Assert.Equal(1u, parse.GetValue(verify.GroupId));
        Assert.True(parse.GetValue(verify.LegacyInsecure));
        Assert.True(parse.GetValue(verify.All));
        Assert.True(parse.GetValue(verify.Local));
        Assert.Equal("hkps://k.test", parse.GetValue(verify.Url));
        Assert.True(parse.GetValue(verify.Json));
    }

    [Fact]
    public void Sign_Key_Parses()
    {
        var parse = Parse("sign --key signer.pem -g 1 image.sif");
        var sign = Command<SignCommand>(parse);

        Assert.Equal("signer.pem", parse.GetValue(sign.Key));
        Assert.Equal(1u, parse.GetValue(sign.GroupId));
        Assert.Equal("image.sif", parse.GetValue(sign.Image));
    }

    [Fact]
    public void Verify_PemAndCertificateOptions_Parse()
    {
        var parse = Parse("verify --key k.pub --certificate leaf.pem --certificate-intermediates i.pem --certificate-roots r.pem --ocsp-verify -j image.sif");
        var verify = Command<VerifyCommand>(parse);

        Assert.Equal("k.pub", parse.GetValue(verify.Key));
        Assert.Equal("leaf.pem", parse.GetValue(verify.Certificate));
        Assert.Equal("i.pem", parse.GetValue(verify.Intermediates));
        Assert.Equal("r.pem", parse.GetValue(verify.Roots));
        Assert.True(parse.GetValue(verify.OcspVerify));
        Assert.True(parse.GetValue(verify.Json));
    }

    [Fact]
    public void Verify_WithoutPemOptions_DefaultsToPgp()
    {
        var parse = Parse("verify image.sif");
        var verify = Command<VerifyCommand>(parse);

        Assert.Null(parse.GetValue(verify.Key));
        Assert.Null(parse.GetValue(verify.Certificate));
        Assert.False(parse.GetValue(verify.OcspVerify));
    }

    [Theory]
    [InlineData("key newpem k.pem", "ecdsa-p256", 3072, null)]
    [InlineData("keys newpem --algorithm ed25519 k.pem", "ed25519", 3072, null)]
    [InlineData("key newpem -a rsa -b 4096 --public-key p.pem k.pem", "rsa", 4096, "p.pem")]
    public void KeyNewPem_Options_Parse(string commandLine, string algorithm, int bits, string? publicKey)
    {
        var parse = Parse(commandLine);
        var newpem = Command<KeyNewPemCommand>(parse);

        Assert.Equal(algorithm, parse.GetValue(newpem.Algorithm));
        Assert.Equal(bits, parse.GetValue(newpem.BitLength));
        Assert.Equal(publicKey, parse.GetValue(newpem.PublicKey));
        Assert.Equal("k.pem", parse.GetValue(newpem.PrivateKey));
    }

    [Fact]
    public void EclCheck_Options_Parse()
    {
        var parse = Parse("ecl check --config ecl.toml --keyring global.gpg image.sif");
        var check = Command<EclCheckCommand>(parse);

        Assert.Equal("ecl.toml", parse.GetValue(check.Config));
        Assert.Equal("global.gpg", parse.GetValue(check.KeyringFile));
        Assert.Equal("image.sif", parse.GetValue(check.Image));
        var defaults = Parse("ecl check image.sif");
        Assert.Null(defaults.GetValue(Command<EclCheckCommand>(defaults).Config));
    }

    [Fact]
    public void KeyNewPair_AllOptions_Parse()
    {
        var parse = Parse("keys newpair -N Name -E a@b.org -C c --algorithm ed25519 -b 3072 --push -u http://k.test --passphrase-file p");
        var newpair = Command<KeyNewPairCommand>(parse);

        Assert.Equal("Name", parse.GetValue(newpair.UserName));
        Assert.Equal("a@b.org", parse.GetValue(newpair.Email));
        Assert.Equal("c", parse.GetValue(newpair.Comment));
        Assert.Equal(KeyAlgorithm.Ed25519, parse.GetValue(newpair.Algorithm));
        Assert.Equal(3072, parse.GetValue(newpair.BitLength));
        Assert.True(parse.GetValue(newpair.Push));
        Assert.Equal("http://k.test", parse.GetValue(newpair.Url));
    }

    [Fact]
    public void KeyNewPair_Defaults_AreRsa4096WithoutPush()
    {
        var parse = Parse("key newpair");
        var newpair = Command<KeyNewPairCommand>(parse);

        Assert.Equal(KeyAlgorithm.Rsa, parse.GetValue(newpair.Algorithm));
        Assert.Equal(4096, parse.GetValue(newpair.BitLength));
        Assert.False(parse.GetValue(newpair.Push));
        Assert.Null(parse.GetValue(newpair.UserName));
    }

    [Fact]
    public void KeyCommands_Parse()
    {
        var list = Parse("key list -s");
        Assert.True(list.GetValue(Command<KeyListCommand>(list).Secret));
        var export = Parse("key export -s -a ABCDEF0123456789 out.asc");
        var exportCommand = Command<KeyExportCommand>(export);
        Assert.True(export.GetValue(exportCommand.Secret) && export.GetValue(exportCommand.Armor));
        Assert.Equal("out.asc", export.GetValue(exportCommand.File));
        var import = Parse("key import k.asc");
        Assert.Equal("k.asc", import.GetValue(Command<KeyImportCommand>(import).File));
        var remove = Parse("key remove --both ABCD1234");
        Assert.True(remove.GetValue(Command<KeyRemoveCommand>(remove).Both));
        Command<KeyPushCommand>(Parse("key push -u hkp://k.test ABCD1234"));
        Command<KeyPullCommand>(Parse("key pull ABCD1234"));
        var search = Parse("key search -l alice@example.org");
        Assert.True(search.GetValue(Command<KeySearchCommand>(search).LongList));
    }

    [Fact]
    public void KeyserverAndSifCommands_Parse()
    {
        Command<KeyserverAddCommand>(Parse("keyserver add https://k.test"));
        Command<KeyserverListCommand>(Parse("keyserver list"));
        Command<KeyserverRemoveCommand>(Parse("keyserver remove https://k.test"));
        foreach (var commandLine in new[] { "sif list a.sif", "sif header a.sif", "siftool info 1 a.sif", "sif dump 2 a.sif" })
        {
            Command<SifReadCommand>(Parse(commandLine));
        }

        Command<SifModifyCommand>(Parse("sif del 1 a.sif"));
        Command<SifModifyCommand>(Parse("sif setprim 1 a.sif"));
        Command<SifNewCommand>(Parse("sif new a.sif"));
        var add = Parse("sif add --datatype 4 --parttype 2 --partfs 1 --partarch 2 --groupid 1 --link 3 --alignment 512 --filename root a.sif root.squashfs");
        var addCommand = Command<SifAddCommand>(add);
        Assert.Equal(4, add.GetValue(addCommand.DataType));
        Assert.Equal(512L, add.GetValue(addCommand.Alignment));
        Assert.Equal("root.squashfs", add.GetValue(addCommand.Object));
    }

    [Theory]
    [MemberData(nameof(HelpSnapshots))]
    public void Help_MatchesSnapshot(string snapshot, string commandLine)
    {
        using var cli = new CliHarness();

        var code = cli.Run(commandLine.Split(' '));

        Assert.Equal(0, code);
        var path = Path.Combine(SnapshotDirectory(), snapshot + ".txt");
        Assert.Equal(File.ReadAllText(path), cli.Out.ToString().ReplaceLineEndings("\n"));
    }

    public static TheoryData<string, string> HelpSnapshots => new()
    {
        { "root", "--help" },
        { "sign", "sign --help" },
        { "verify", "verify --help" },
        { "key", "key --help" },
        { "key-newpair", "key newpair --help" },
        { "sif-add", "sif add --help" },
        { "key-newpem", "key newpem --help" },
        { "ecl-check", "ecl check --help" },
    };

    [Fact]
    public void UnknownCommand_ExitsWithUsageErrorOnStderr()
    {
        using var cli = new CliHarness();

        Assert.Equal(ExitCodes.UsageError, cli.Run("frobnicate"));
        Assert.Contains("Unrecognized command or argument 'frobnicate'", cli.Error.ToString(), StringComparison.Ordinal);
    }

    private static string SnapshotDirectory([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Snapshots");
}
