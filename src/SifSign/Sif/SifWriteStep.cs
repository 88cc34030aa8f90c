namespace SifSign.Sif;

/// <summary>The points between the write steps of an append, where tests inject failures.</summary>
internal enum SifWriteStep
{
    DataWritten,
    DataFlushed,
    DescriptorWritten,
    DescriptorsFlushed,
    HeaderWritten,
}

/// <summary>
/// Thrown by a test hook to model a process that dies mid-write: unlike any other failure it skips the
/// rollback, so the test sees the bytes a crash would leave.
/// </summary>
internal sealed class SifSimulatedCrashException : Exception
{
    public SifSimulatedCrashException()
    {
    }

    public SifSimulatedCrashException(string message)
        : base(message)
    {
    }

    public SifSimulatedCrashException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
