namespace Interop.Tests.Infrastructure;

/// <summary>
/// A tiny file system of its own for disk-full tests: tmpfs (`mount -t tmpfs -o size=N`), or where
/// mounting tmpfs is refused, a loop-mounted ext4 image. Needs root; unmounted on dispose.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private readonly string? _image;

    private TmpfsMount(string path, string? image)
    {
        Path = path;
        _image = image;
    }

    public string Path { get; }

    public static TmpfsMount Create(string size)
    {
        var directory = KeyserverProcess.CreateTempDirectory("ks-full-");
        var tmpfs = Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", directory);
        if (tmpfs.ExitCode == 0)
        {
            return new TmpfsMount(directory, null);
        }

        var image = directory + ".img";
        var steps = new[]
        {
            Run("truncate", "-s", "4M", image),
            Run("mkfs.ext4", "-q", "-F", image),
            Run("mount", "-o", "loop", image, directory),
        };
        if (steps.All(s => s.ExitCode == 0))
        {
            return new TmpfsMount(directory, image);
        }

        KeyserverProcess.TryDeleteDirectory(directory);
        File.Delete(image);
        throw new InvalidOperationException(
            "Cannot mount a small file system for the disk-full test (needs root): " + tmpfs + "\n" + string.Join("\n", steps.Select(s => s.ToString())));
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        KeyserverProcess.TryDeleteDirectory(Path);
        if (_image is not null)
        {
            File.Delete(_image);
        }
    }

    private static ProcessResult Run(string command, params string[] arguments) =>
        ProcessRunner.RunAsync(command, (IEnumerable<string>)arguments).GetAwaiter().GetResult();
}
