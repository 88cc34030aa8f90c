using System.Collections.Concurrent;

namespace Keyserver.Web.Tests.Mail;

/// <summary>Keeps every formatted log entry, to check what logs would reveal.</summary>
internal sealed class ListLogger : ILogger<OutboxWorker>
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception), exception));
}
