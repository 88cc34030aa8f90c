namespace SifSign.Cli.Tests.Commands.Sif;

public class SifCommandTests
{
    [Fact]
    public void List_Fixture_PrintsTable()
    {
        using var cli = new CliHarness();

        Assert.Equal(0, cli.Run("sif", "list", Fixtures.Image("one-group.sif")));
        Assert.StartsWith("------------------------------------------------------------------------------\nID   |GROUP   |LINK    |SIF POSITION (start-end)  |TYPE\n", cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_Object_WritesRawBytesToStdout()
    {
        using var cli = new CliHarness();

        Assert.Equal(0, cli.Run("sif", "dump", "1", Fixtures.Image("one-group.sif")));
        Assert.Equal(new byte[] { 0xFA, 0xCE, 0xFE, 0xED }, cli.RawOut);
    }

    [Fact]
    public void NewAddSetprimDel_BuildsAnImageThatSignsAndVerifies()
    {
        using var cli = new CliHarness();
        var image = Path.Combine(cli.Home, "built.sif");
        var payload = Path.Combine(cli.Home, "rootfs.bin");
        File.WriteAllBytes(payload, [1, 2, 3, 4, 5]);

        Assert.Equal(0, cli.Run("sif", "new", image));
        Assert.Equal(0, cli.Run("sif", "add", "--datatype", "4", "--parttype", "1", "--partfs", "4", "--partarch", "2", "--groupid", "1", "--filename", "root", image, payload));
        Assert.Equal(0, cli.Run("sif", "add", "--datatype", "6", "--groupid", "1", image, payload));
        Assert.Equal(0, cli.Run("sif", "setprim", "1", image));
        Assert.Equal(0, cli.Run("sif", "del", "2", image));
        Assert.Equal(0, cli.Run("sif", "info", "1", image));
        Assert.Contains("Partition Type:   *System", cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Contains("Name:             root", cli.Out.ToString(), StringComparison.Ordinal);

        cli.Environment["SIFSIGN_PASSPHRASE"] = string.Empty;
        cli.Run("key", "newpair", "--algorithm", "ed25519", "-N", "B", "-E", "b@example.org", "-C", string.Empty);
        Assert.Equal(0, cli.Run("sign", image));
        Assert.Equal(0, cli.Run("verify", "--local", image));
    }

    [Theory]
    [InlineData(new[] { "--datatype", "0" }, "--datatype flag is required")]
    [InlineData(new[] { "--datatype", "12" }, "--datatype flag is required")]
    [InlineData(new[] { "--datatype", "4", "--parttype", "1" }, "--partfs (1-6), --parttype (1-4) and --partarch (1-13) must be passed")]
    [InlineData(new[] { "--datatype", "5", "--signhash", "9", "--signentity", "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84" }, "invalid hash type: 9")]
    [InlineData(new[] { "--datatype", "5", "--signhash", "1", "--signentity", "XYZ" }, "--signentity must be a 40 hex digit fingerprint")]
    [InlineData(new[] { "--datatype", "9", "--sbomformat", "word" }, "--sbomformat must be one of")]
    public void Add_InvalidFlags_ErrorForCommandAndImageUnchanged(string[] flags, string message)
    {
        using var cli = new CliHarness();
        var image = Fixtures.CopyImage(cli, "one-group.sif");
        var payload = Path.Combine(cli.Home, "data.bin");
        File.WriteAllBytes(payload, [1]);
        var before = File.ReadAllBytes(image);

        Assert.Equal(ExitCodes.UsageError, cli.Run(["sif", "add", .. flags, image, payload]));
        Assert.StartsWith($"Error for command \"add\": ", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(image));
    }

    [Fact]
    public void Info_UnknownId_ErrorForCommand()
    {
        using var cli = new CliHarness();

        Assert.Equal(ExitCodes.UsageError, cli.Run("sif", "info", "42", Fixtures.Image("one-group.sif")));
        Assert.StartsWith("Error for command \"info\": ", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(cli.Out.ToString());
    }

    [Fact]
    public void Header_NotASifFile_ErrorForCommand()
    {
        using var cli = new CliHarness();
        var path = Path.Combine(cli.Home, "x.sif");
        File.WriteAllBytes(path, new byte[200]);

        Assert.Equal(ExitCodes.UsageError, cli.Run("sif", "header", path));
        Assert.StartsWith("Error for command \"header\": ", cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Del_MissingImage_ErrorForCommandAndNoFileCreated()
    {
        using var cli = new CliHarness();
        var path = Path.Combine(cli.Home, "missing.sif");

        Assert.Equal(ExitCodes.UsageError, cli.Run("sif", "del", "1", path));
        Assert.False(File.Exists(path));
    }
}
