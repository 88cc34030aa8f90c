using System.Text;

namespace SifSign.Cli.Console;

/// <summary>
/// Column alignment as Go's text/tabwriter does it for the outputs we copy from Apptainer: every
/// cell but the last of a row is padded to the widest cell of its column plus the padding; rows
/// that are null break the block (a blank line) and restart the widths.
/// </summary>
internal static class TabTable
{
    public static string Format(IReadOnlyList<string[]?> rows, int padding)
    {
        var output = new StringBuilder();
        var start = 0;
        while (start < rows.Count)
        {
            var end = start;
            while (end < rows.Count && rows[end] is not null)
            {
                end++;
            }

            var block = rows.Skip(start).Take(end - start).Select(row => row!).ToList();
            var columns = block.Count == 0 ? 0 : block.Max(row => row.Length) - 1;
            var widths = new int[Math.Max(columns, 0)];
            for (var c = 0; c < widths.Length; c++)
            {
                widths[c] = block.Where(row => row.Length - 1 > c).Select(row => row[c].Length).DefaultIfEmpty(0).Max() + padding;
            }

            foreach (var row in block)
            {
                for (var c = 0; c < row.Length - 1; c++)
                {
                    output.Append(row[c].PadRight(widths[c]));
                }

                output.Append(row[^1]).Append('\n');
            }

            if (end < rows.Count)
            {
                output.Append('\n');
            }

            start = end + 1;
        }

        return output.ToString();
    }
}
