using System.Globalization;

namespace Keyserver.Core.Ingest;

/// <summary>Collects what the filters removed from one key, counted per kind, as short sentences.</summary>
internal sealed class DropLog
{
    private readonly List<(string Singular, string Plural)> _order = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _messages = [];

    /// <summary>Counts one more item of a kind ("third-party certification" / "third-party certifications").</summary>
    public void Count(string singular, string plural, int howMany = 1)
    {
        if (howMany <= 0)
        {
            return;
        }

        if (!_counts.TryGetValue(singular, out var count))
        {
            _order.Add((singular, plural));
        }

        _counts[singular] = count + howMany;
    }

    /// <summary>Records one item that needs its own sentence (a named user ID or subkey).</summary>
    public void Add(string message) => _messages.Add(message);

    /// <summary>Everything recorded so far, counted kinds first.</summary>
    public List<string> ToList()
    {
        var list = new List<string>(_order.Count + _messages.Count);
        foreach (var (singular, plural) in _order)
        {
            var count = _counts[singular];
            list.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural)}"));
        }

        list.AddRange(_messages);
        return list;
    }
}
