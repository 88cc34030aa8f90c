namespace SifSign.Tests.TestSupport;

/// <summary>A private directory under the system temp path, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("sifsign-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies a reference image into the directory and returns the copy's path.</summary>
    public string CopyImage(string fixtureName)
    {
        var target = File(fixtureName);
        System.IO.File.Copy(Fixtures.Image(fixtureName), target, overwrite: true);
        return target;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
