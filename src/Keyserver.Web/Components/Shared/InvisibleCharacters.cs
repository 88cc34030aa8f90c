using System.Globalization;
using System.Text;

namespace Keyserver.Web.Components.Shared;

/// <summary>
/// Finds the characters of a user ID that a reader cannot see or that reorder what they see: bidi
/// controls (U+202E turns "gpj.exe" into "exe.jpg"), zero-width characters, other format and control
/// characters, spaces other than U+0020 and blank-looking letters. The portal shows each as a visible
/// code such as <c>[U+202E]</c>, so that two user IDs that look alike are told apart (Unicode
/// Technical Standard #39, §4 "Confusable Detection", and Unicode §23.2 "Layout Controls").
/// </summary>
internal static class InvisibleCharacters
{
    /// <summary>A run of the text: visible as it is, or one invisible character to show as its code.</summary>
    public readonly record struct Segment(string Text, bool Invisible);

    /// <summary>The text cut into visible runs and single invisible characters, in order.</summary>
    public static IReadOnlyList<Segment> Split(string text)
    {
        var segments = new List<Segment>();
        var visible = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (!IsInvisible(rune))
            {
                visible.Append(rune.ToString());
                continue;
            }

            if (visible.Length > 0)
            {
                segments.Add(new Segment(visible.ToString(), false));
                visible.Clear();
            }

            segments.Add(new Segment(Code(rune), true));
        }

        if (visible.Length > 0)
        {
            segments.Add(new Segment(visible.ToString(), false));
        }

        return segments;
    }

    /// <summary>"[U+202E]".</summary>
    public static string Code(Rune rune) => string.Create(CultureInfo.InvariantCulture, $"[U+{rune.Value:X4}]");

    private static bool IsInvisible(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
            or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned => true,
        UnicodeCategory.SpaceSeparator => rune.Value != ' ',
        // Letters and marks that render as nothing: Hangul fillers and the combining grapheme joiner
        // (default-ignorable code points, Unicode §5.21), and the variation selectors.
        _ => rune.Value is 0x034F or 0x115F or 0x1160 or 0x3164 or 0xFFA0
            or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF),
    };
}
