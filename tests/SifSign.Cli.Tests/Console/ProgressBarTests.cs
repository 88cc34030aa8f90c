namespace SifSign.Cli.Tests.Console;

public class ProgressBarTests
{
    [Fact]
    public void Create_NotATerminal_GivesNoBar()
    {
        using var cli = new CliHarness();

        Assert.Null(ProgressBar.Create(cli.Context, "Verifying", ProgressBar.Threshold * 4));
    }

    [Fact]
    public void Create_SmallImageOnTerminal_GivesNoBar()
    {
        using var cli = new CliHarness();
        cli.Terminal.IsErrorTerminal = true;

        Assert.Null(ProgressBar.Create(cli.Context, "Verifying", ProgressBar.Threshold - 1));
    }

    [Fact]
    public void Report_LargeImageOnTerminal_DrawsPercentAndClearsLine()
    {
        using var cli = new CliHarness();
        cli.Terminal.IsErrorTerminal = true;
        var context = cli.Context;

        using (var bar = ProgressBar.Create(context, "Verifying", ProgressBar.Threshold * 2)!)
        {
            bar.Report(ProgressBar.Threshold);
            bar.Report(ProgressBar.Threshold);
        }

        var text = context.Error.ToString()!;
        Assert.Contains(" 50%", text, StringComparison.Ordinal);
        Assert.Contains("100%", text, StringComparison.Ordinal);
        Assert.EndsWith("\r", text, StringComparison.Ordinal);
    }
}
