namespace SifSign.Tests.TestSupport;

internal static class TempDirectoryExtensions
{
    /// <summary>Copies a reference image into the directory and returns the copy's path.</summary>
    public static string CopyImage(this TempDirectory directory, string fixtureName)
    {
        var target = directory.File(fixtureName);
        File.Copy(Fixtures.Image(fixtureName), target, overwrite: true);
        return target;
    }
}
