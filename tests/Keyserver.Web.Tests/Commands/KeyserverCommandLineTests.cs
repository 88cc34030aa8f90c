namespace Keyserver.Web.Tests.Commands;

public class KeyserverCommandLineTests
{
    [Theory]
    [InlineData(new[] { "import", "a.gpg" }, true)]
    [InlineData(new[] { "dump", "out" }, true)]
    [InlineData(new[] { "healthcheck" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:0" }, false)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "Import" }, false)]
    public void IsCommand_OnlyTheCommandNamesFirst(string[] args, bool expected)
    {
        Assert.Equal(expected, KeyserverCommandLine.IsCommand(args));
    }

    [Theory]
    [InlineData("import a.gpg b.asc --publish")]
    [InlineData("import a.gpg")]
    [InlineData("dump out")]
    [InlineData("dump out --keys-per-file 15000")]
    [InlineData("healthcheck")]
    [InlineData("healthcheck http://127.0.0.1:11371/healthz")]
    public void Parse_ValidCommands_HaveNoErrors(string line)
    {
        Assert.Empty(KeyserverCommandLine.Build().Parse(line).Errors);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("dump")]
    [InlineData("dump out --keys-per-file 0")]
    [InlineData("dump out --keys-per-file many")]
    [InlineData("dump a b")]
    [InlineData("healthcheck not-a-url")]
    [InlineData("healthcheck ftp://127.0.0.1/healthz")]
    public void Parse_InvalidCommands_HaveErrors(string line)
    {
        Assert.NotEmpty(KeyserverCommandLine.Build().Parse(line).Errors);
    }

    [Fact]
    public void Parse_Import_CollectsFilesAndPublish()
    {
        var command = KeyserverCommandLine.Build();
        var result = command.Parse("import a.gpg b.asc --publish");

        Assert.Equal("import", result.CommandResult.Command.Name);
        Assert.Equal(["a.gpg", "b.asc"], result.GetValue<string[]>("files")!);
        Assert.True(result.GetValue<bool>("--publish"));
    }

    [Fact]
    public void Parse_Dump_DefaultsKeysPerFile()
    {
        Assert.Equal(DumpCommand.DefaultKeysPerFile, KeyserverCommandLine.Build().Parse("dump out").GetValue<int>("--keys-per-file"));
    }

    [Theory]
    [InlineData("healthcheck", HealthCheckCommand.DefaultUrl)]
    [InlineData("healthcheck http://127.0.0.1:8080/healthz", "http://127.0.0.1:8080/healthz")]
    public void Parse_Healthcheck_ReadsTheUrl(string line, string expected)
    {
        Assert.Equal(new Uri(expected), KeyserverCommandLine.Build().Parse(line).GetValue<Uri>("url"));
    }
}
