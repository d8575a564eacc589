using System.Threading.Channels;
using HttpSysPS.Engine;
using HttpSysPS.Engine.Logging;

namespace HttpSysPS.Host;

/// <summary>
/// One line per request in W3C extended-log style, written by a background task so request threads never wait on the console.
/// </summary>
internal sealed class W3CRequestLog : IServerEvents, IAsyncDisposable
{
    /// <summary>The fields of each stdout line (dropped connections included: their request fields are <c>-</c>).</summary>
    public static readonly W3CLogFields Fields = W3CLogFields.Parse("date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status sc-bytes time-taken s-sitename s-reason");

    public static string FieldsLine => "#Fields: " + Fields;

    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly TextWriter _output;
    private readonly TextWriter _errors;
    private readonly bool _requests;
    private readonly Task _writer;

    public W3CRequestLog(TextWriter output, TextWriter errors, bool logRequests)
    {
        _output = output;
        _errors = errors;
        _requests = logRequests;
        _writer = Task.Run(WriteAsync);
    }

    public bool LogsRequests => _requests;

    public void RequestCompleted(RequestLogEntry e)
    {
        if (_requests)
        {
            _lines.Writer.TryWrite(Fields.FormatLine(e));
        }
    }

    public void ConnectionDropped(ConnectionDropEntry e)
    {
        if (_requests)
        {
            _lines.Writer.TryWrite(Fields.FormatLine(e));
        }
    }

    public void HandlerFailed(string listener, Exception exception) => _errors.WriteLine($"httpsys: handler of {listener} failed: {exception.GetType().Name}: {exception.Message}");

    public void Warning(string message) => _errors.WriteLine("httpsys: warning: " + message);

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _output.WriteLineAsync(line).ConfigureAwait(false);
        }
    }
}
