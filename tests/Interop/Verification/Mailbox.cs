using MimeKit;

namespace Interop.Tests.Verification;

/// <summary>Every message the SMTP sink accepted, in order of arrival.</summary>
internal sealed class Mailbox
{
    /// <summary>Safety net for a mail that never comes; not a performance threshold.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly List<MimeMessage> _messages = [];

    public IReadOnlyList<MimeMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The messages addressed to <paramref name="address"/>.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        Messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>
    /// Waits until <paramref name="count"/> messages to <paramref name="address"/> have arrived and returns
    /// the last of them; throws when they do not come within a minute.
    /// </summary>
    public async Task<MimeMessage> WaitForAsync(string address, int count = 1)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (To(address) is { } arrived && arrived.Count >= count)
            {
                return arrived[count - 1];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"No mail #{count} to {address} within {Patience}; received: {string.Join(", ", Messages.Select(m => m.To.ToString()))}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    internal void Add(MimeMessage message)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }
    }
}
