using System.Net;

namespace SifSign.Hkp;

/// <summary>A keyserver could not be reached or gave an answer that cannot be used; the message is for the user.</summary>
public sealed class HkpException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public HkpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the underlying cause.</summary>
    public HkpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public HkpException()
    {
    }

    /// <summary>Creates the exception for an HTTP status the keyserver answered.</summary>
    public HkpException(string message, HttpStatusCode statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status the keyserver answered, when it answered at all.</summary>
    public HttpStatusCode? StatusCode { get; }
}
