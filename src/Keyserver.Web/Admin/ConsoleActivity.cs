using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Keyserver.Web.Observability;

namespace Keyserver.Web.Admin;

/// <summary>
/// What the dashboard counts since the server started, read from this host's own metrics (the
/// <c>keyserver.uploads</c> and <c>keyserver.mail</c> counters Prometheus scrapes): uploads and mails
/// sent per UTC day, and rejected uploads by reason. Kept in memory, so a restart starts from zero;
/// the stored keys give the persistent figures (<see cref="AdminOverview"/>).
/// </summary>
internal sealed class ConsoleActivity(IMeterFactory meters, TimeProvider time) : IHostedService, IDisposable
{
    private const string Uploads = "keyserver.uploads";
    private const string Mail = "keyserver.mail";

    private readonly ConcurrentDictionary<(string Series, DateOnly Day), long> _daily = new();
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private MeterListener? _listener;

    public DateTimeOffset Since { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Since = time.GetUtcNow();
        _listener = new MeterListener
        {
            // Only this host's meter: tests run several hosts in one process.
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == KeyserverMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters)
                    && instrument.Name is Uploads or Mail)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _listener?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _listener?.Dispose();

    /// <summary>Uploaded keys (any outcome) per day, oldest first.</summary>
    public IReadOnlyList<int> UploadsPerDay(IReadOnlyList<DateOnly> days) => Series(Uploads, days);

    /// <summary>Mails delivered per day, oldest first.</summary>
    public IReadOnlyList<int> MailsPerDay(IReadOnlyList<DateOnly> days) => Series(Mail, days);

    /// <summary>Rejected uploads by reason since the start, most frequent first.</summary>
    public IReadOnlyList<(string Reason, long Count)> Rejections() =>
        _rejections.Select(r => (r.Key, r.Value)).OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();

    private List<int> Series(string series, IReadOnlyList<DateOnly> days) =>
        days.Select(d => (int)Math.Min(int.MaxValue, _daily.GetValueOrDefault((series, d)))).ToList();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? outcome = null, reason = null, mailEvent = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "outcome": outcome = tag.Value as string; break;
                case "reason": reason = tag.Value as string; break;
                case "event": mailEvent = tag.Value as string; break;
            }
        }

        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (instrument.Name == Uploads)
        {
            _daily.AddOrUpdate((Uploads, day), value, (_, n) => n + value);
            if (outcome == "rejected")
            {
                _rejections.AddOrUpdate(string.IsNullOrEmpty(reason) ? "unusable" : reason, value, (_, n) => n + value);
            }
        }
        else if (mailEvent == "sent")
        {
            _daily.AddOrUpdate((Mail, day), value, (_, n) => n + value);
        }
    }
}
