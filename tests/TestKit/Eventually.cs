namespace TestKit;

/// <summary>
/// Polls for something another thread or process brings about (a mail, a log line, a file). The deadline
/// is a safety net against hangs, never a performance threshold: a minute, far beyond any healthy run.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="probe"/> returns a value and returns it.</summary>
    /// <exception cref="TimeoutException">No value within <see cref="Patience"/>; the message says what was awaited.</exception>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, Func<string> whatWasAwaited)
        where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe().ConfigureAwait(false) is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {Patience}: {whatWasAwaited()}");
            }

            await Task.Delay(Interval).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="ValueAsync{T}(Func{Task{T}}, Func{string})"/>
    public static Task<T> ValueAsync<T>(Func<T?> probe, Func<string> whatWasAwaited)
        where T : class =>
        ValueAsync(() => Task.FromResult(probe()), whatWasAwaited);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string whatWasAwaited) =>
        ValueAsync(async () => await condition().ConfigureAwait(false) ? whatWasAwaited : null, () => whatWasAwaited);

    /// <inheritdoc cref="TrueAsync(Func{Task{bool}}, string)"/>
    public static Task TrueAsync(Func<bool> condition, string whatWasAwaited) =>
        TrueAsync(() => Task.FromResult(condition()), whatWasAwaited);
}
