namespace SifSign.Cli.Tests.TestSupport;

/// <summary>The reference test images and key from Debian's golang-github-sylabs-sif-dev (spec §7).</summary>
internal static class Fixtures
{
    public const string Root = "/usr/share/gocode/src/github.com/sylabs/sif/test";

    public const string KeyFingerprint = "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84";

    public static string PrivateKey => Path.Combine(Root, "keys", "private.asc");

    public static string Image(string name) => Path.Combine(Root, "images", name);

    /// <summary>A private copy of a reference image inside the harness home, with one byte overwritten when asked.</summary>
    public static string CopyImage(CliHarness cli, string name, long? tamperAt = null, byte tamperWith = 0)
    {
        var path = Path.Combine(cli.Home, name);
        File.Copy(Image(name), path, overwrite: true);
        if (tamperAt is { } position)
        {
            using var stream = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
            stream.Position = position;
            stream.WriteByte(tamperWith);
        }

        return path;
    }
}
