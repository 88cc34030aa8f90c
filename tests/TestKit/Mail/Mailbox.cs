namespace TestKit.Mail;

/// <summary>Every message an SMTP server accepted, in order of arrival; outlives a server restart.</summary>
public sealed class Mailbox
{
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
    /// the last of them.
    /// </summary>
    public Task<MimeMessage> WaitForAsync(string address, int count = 1) =>
        Eventually.ValueAsync(
            () => To(address) is { } arrived && arrived.Count >= count ? arrived[count - 1] : null,
            () => $"mail #{count} to {address}; received: {string.Join(", ", Messages.Select(m => m.To.ToString()))}");

    /// <summary>Waits until <paramref name="count"/> messages to anyone have arrived and returns them.</summary>
    public Task<IReadOnlyList<MimeMessage>> WaitForCountAsync(int count) =>
        Eventually.ValueAsync(() => Messages is { } all && all.Count >= count ? all : null, () => $"{count} mail(s); received {Messages.Count}");

    internal void Add(MimeMessage message)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }
    }
}
