namespace SifSign.Cli.Tests.Console;

public class TabTableTests
{
    [Fact]
    public void Format_PadsAllButLastCellToWidestPlusPadding()
    {
        var text = TabTable.Format([["a", "bbb", "last"], ["cccc", "d", "x"]], padding: 2);

        Assert.Equal("a     bbb  last\ncccc  d    x\n", text);
    }

    [Fact]
    public void Format_NullRowIsBlankLineAndRestartsWidths()
    {
        var text = TabTable.Format([["long cell", "z"], null, ["s", "z"]], padding: 1);

        Assert.Equal("long cell z\n\ns z\n", text);
    }
}
