using System.Reflection;

namespace Interop.Tests.Deploy;

/// <summary>The systemd unit, the Dockerfile and deploy/compose.yaml against systemd and the options they set.</summary>
[Trait(TestCategories.Category, TestCategories.External)]
public sealed partial class DeployFilesTests
{
    private static readonly string UnitPath = Path.Combine(RepositoryRoot.Path, "deploy", "keyserver.service");
    private static readonly string ComposePath = Path.Combine(RepositoryRoot.Path, "deploy", "compose.yaml");
    private static readonly string DockerfilePath = Path.Combine(RepositoryRoot.Path, "Dockerfile");

    [Fact]
    public async Task SystemdUnit_PassesSystemdAnalyzeVerify_WithoutWarnings_AndIsHardened()
    {
        var analyze = Tools.Require("systemd-analyze", "systemd");
        var unit = await File.ReadAllTextAsync(UnitPath);
        foreach (var directive in new[] { "Type=notify", "DynamicUser=yes", "StateDirectory=keyserver", "ProtectSystem=strict", "NoNewPrivileges=yes", "KillSignal=SIGTERM" })
        {
            Assert.Contains(directive + "\n", unit, StringComparison.Ordinal);
        }

        // verify checks that ExecStart exists: where dotnet lives elsewhere, only that path changes.
        var directory = KeyserverProcess.CreateTempDirectory("unit-");
        try
        {
            var dotnet = File.Exists("/usr/bin/dotnet") ? "/usr/bin/dotnet" : Tools.Require("dotnet", "dotnet-sdk-10.0");
            var copy = Path.Combine(directory, "keyserver.service");
            await File.WriteAllTextAsync(copy, unit.Replace("/usr/bin/dotnet", dotnet, StringComparison.Ordinal));

            var verify = await ProcessRunner.RunAsync(analyze, "verify", copy);
            Assert.True(verify.ExitCode == 0 && verify.StandardError.Trim().Length == 0, verify.ToString());

            // systemd's own scale: 0 is fully locked down, 10 is fully exposed; "OK" is below 4.
            var security = await ProcessRunner.RunAsync(analyze, "security", "--offline=yes", copy);
            var exposure = ExposureLine().Match(security.StandardOutput + security.StandardError);
            Assert.True(exposure.Success, security.ToString());
            Assert.True(double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture) <= 2.0, exposure.Value);
        }
        finally
        {
            KeyserverProcess.TryDeleteDirectory(directory);
        }
    }

    [Fact]
    public async Task SystemdAnalyzeVerify_CatchesABrokenUnit()
    {
        // The check above can fail: a misspelt value is reported on stderr.
        var analyze = Tools.Require("systemd-analyze", "systemd");
        var directory = KeyserverProcess.CreateTempDirectory("unit-");
        try
        {
            var copy = Path.Combine(directory, "broken.service");
            var unit = await File.ReadAllTextAsync(UnitPath);
            await File.WriteAllTextAsync(copy, unit.Replace("ProtectSystem=strict", "ProtectSystem=stricter", StringComparison.Ordinal));
            var verify = await ProcessRunner.RunAsync(analyze, "verify", copy);
            Assert.Contains("stricter", verify.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            KeyserverProcess.TryDeleteDirectory(directory);
        }
    }

    [Fact]
    public async Task DockerfileAndCompose_AgreeWithEachOther_AndSetOnlyRealDocumentedOptions()
    {
        var dockerfile = (await File.ReadAllTextAsync(DockerfilePath)).Replace("\\\n", " ", StringComparison.Ordinal);
        var compose = await File.ReadAllTextAsync(ComposePath);
        var operations = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "operations.md"));

        var dockerEnv = DockerEnv().Matches(dockerfile).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var composeEnv = ComposeEnv().Matches(compose).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        Assert.NotEmpty(dockerEnv);
        Assert.NotEmpty(composeEnv);

        // One data directory: the image's setting, its VOLUME, and the volume compose mounts.
        var data = dockerEnv["Storage__DataDirectory"];
        Assert.Equal(data, composeEnv["Storage__DataDirectory"]);
        Assert.Contains($"VOLUME [\"{data}\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"- keyserver-data:{data}\n", compose, StringComparison.Ordinal);

        // One port: the image's URLs, EXPOSE, its health check, and compose's mapping and health check.
        var port = new Uri(dockerEnv["ASPNETCORE_URLS"].Replace("+", "localhost", StringComparison.Ordinal)).Port;
        Assert.Equal(port, new Uri(composeEnv["ASPNETCORE_URLS"].Replace("+", "localhost", StringComparison.Ordinal)).Port);
        Assert.Contains($"EXPOSE {port}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{port}/healthz", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{port}/healthz", compose, StringComparison.Ordinal);
        Assert.Contains($":{port}:{port}\"", compose, StringComparison.Ordinal);

        // Every setting names a property of an options class and is documented.
        var unit = await File.ReadAllTextAsync(UnitPath);
        var unitEnv = UnitEnv().Matches(unit).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        foreach (var name in dockerEnv.Keys.Concat(composeEnv.Keys).Concat(unitEnv.Keys).Where(n => !n.StartsWith("ASPNETCORE_", StringComparison.Ordinal) && !n.StartsWith("DOTNET_", StringComparison.Ordinal)))
        {
            var key = string.Join(':', name.Split("__").Where(p => !p.All(char.IsAsciiDigit)));
            Assert.True(IsOptionsProperty(key), $"{name} sets no property of an options class");
            Assert.True(operations.Contains($"`{key}", StringComparison.Ordinal), $"{key} is not documented in docs/operations.md");
        }
    }

    /// <summary>True when <paramref name="key"/> (Section:Property) names a property of a class with that <c>Section</c> constant.</summary>
    private static bool IsOptionsProperty(string key)
    {
        var split = key.LastIndexOf(':');
        var (section, property) = (key[..split], key[(split + 1)..]);
        return typeof(Program).Assembly.GetTypes().Any(type =>
            type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
            && string.Equals((string?)field.GetRawConstantValue(), section, StringComparison.Ordinal)
            && type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance) is not null);
    }

    [GeneratedRegex(@"Overall exposure level for [^:]+: ([0-9.]+)")]
    private static partial Regex ExposureLine();

    [GeneratedRegex(@"(?<=ENV\s[^\n]*?)\b([A-Za-z_]+)=(\S*)")]
    private static partial Regex DockerEnv();

    [GeneratedRegex(@"^      ([A-Za-z_0-9]+): ""([^""]*)""$", RegexOptions.Multiline)]
    private static partial Regex ComposeEnv();

    [GeneratedRegex(@"^Environment=([A-Za-z_0-9]+)=(\S*)$", RegexOptions.Multiline)]
    private static partial Regex UnitEnv();
}
