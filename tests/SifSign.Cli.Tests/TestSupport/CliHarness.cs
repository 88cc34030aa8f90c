namespace SifSign.Cli.Tests.TestSupport;

/// <summary>
/// Runs sifsign in-process: redirected stdout/stderr, a temp home (keys dir, config dir), a fake
/// terminal, chosen environment variables and an in-test keyserver instead of the network.
/// </summary>
internal sealed class CliHarness : IDisposable
{
    private readonly MemoryStream rawOut = new();

    public CliHarness()
    {
        Home = Directory.CreateTempSubdirectory("sifsign-cli-").FullName;
        Environment["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config");
    }

    public string Home { get; }

    public string KeysDir => Path.Combine(Home, ".apptainer", "keys");

    public Dictionary<string, string> Environment { get; } = [];

    public FakeTerminal Terminal { get; } = new();

    public StringWriter Out { get; private set; } = new();

    public StringWriter Error { get; private set; } = new();

    public byte[] RawOut => rawOut.ToArray();

    /// <summary>Answers keyserver requests; null means every request fails as if the server were down.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage>? Keyserver { get; set; }

    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>The clock the commands see (key and signature expiry at verify).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public CliContext Context => new()
    {
        Out = Out,
        Error = Error,
        OpenStandardOutput = () => new NonClosingStream(rawOut),
        Terminal = Terminal,
        GetEnvironmentVariable = name => Environment.TryGetValue(name, out var value) ? value : null,
        HomeDirectory = Home,
        CreateHttpHandler = () => new Handler(this),
        Time = Time,
    };

    public int Run(params string[] args)
    {
        Out = new StringWriter();
        Error = new StringWriter();
        return SifSignCli.Run(args, Context);
    }

    public static HttpResponseMessage Respond(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };

    /// <summary>A harness whose keyserver answers every request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public static CliHarness AnsweringKeyserver(HttpStatusCode status, string body) => new() { Keyserver = _ => Respond(status, body) };

    public void Dispose() => Directory.Delete(Home, recursive: true);

    private sealed class Handler(CliHarness harness) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            harness.Requests.Add(request);
            if (harness.Keyserver is null)
            {
                throw new HttpRequestException("Connection refused (127.0.0.1:1)");
            }

            return Task.FromResult(harness.Keyserver(request));
        }
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
