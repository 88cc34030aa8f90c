namespace SifSign.Cli.Console;

/// <summary>
/// A one-line progress bar on stderr for hashing large images; redrawn only when the percentage
/// changes so it costs nothing measurable. Created only when stderr is a terminal.
/// </summary>
internal sealed class ProgressBar : IProgress<long>, IDisposable
{
    /// <summary>Images smaller than this finish too fast for a bar to help.</summary>
    public const long Threshold = 64L * 1024 * 1024;

    private const int Width = 40;

    private readonly TextWriter error;
    private readonly string label;
    private readonly long total;
    private long done;
    private int shown = -1;

    private ProgressBar(TextWriter error, string label, long total)
    {
        this.error = error;
        this.label = label;
        this.total = total;
    }

    /// <summary>A bar when it is useful (a terminal and a large image), else null.</summary>
    public static ProgressBar? Create(CliContext context, string label, long total) =>
        context.Terminal.IsErrorTerminal && total >= Threshold ? new ProgressBar(context.Error, label, total) : null;

    public void Report(long value)
    {
        done += value;
        var percent = (int)Math.Clamp(done * 100 / Math.Max(total, 1), 0, 100);
        if (percent == shown)
        {
            return;
        }

        shown = percent;
        var filled = percent * Width / 100;
        error.Write($"\r{label} [{new string('=', filled)}{new string(' ', Width - filled)}] {percent,3}%");
    }

    public void Dispose()
    {
        if (shown >= 0)
        {
            error.Write("\r" + new string(' ', label.Length + Width + 8) + "\r");
        }
    }
}
