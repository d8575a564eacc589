using System.Globalization;
using System.Net;
using System.Threading.Channels;
using HttpSysPS.Engine;

namespace HttpSysPS.Host;

/// <summary>
/// One line per request in W3C extended-log style, written by a background task so request threads never wait on the console.
/// </summary>
internal sealed class W3CRequestLog : IServerEvents, IAsyncDisposable
{
    public const string FieldsLine = "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status sc-bytes time-taken s-queuename s-reason";

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
        if (!_requests)
        {
            return;
        }

        var (cip, cport) = Split(e.Client);
        var (sip, sport) = Split(e.Server);
        _lines.Writer.TryWrite(string.Join(' ',
            e.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), cip, cport, sip, sport, e.Protocol, e.Method,
            Field(e.Url), e.Status.ToString(CultureInfo.InvariantCulture), e.BytesSent.ToString(CultureInfo.InvariantCulture),
            ((long)e.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), Field(e.Listener), Field(e.Reason)));
    }

    public void ConnectionDropped(ConnectionDropEntry e)
    {
        if (_requests)
        {
            var (cip, cport) = Split(e.Client);
            var (sip, sport) = Split(e.Server);
            _lines.Writer.TryWrite(string.Join(' ', e.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), cip, cport, sip, sport, "- - - - - - -", e.Reason));
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

    private static string Field(string? value) => string.IsNullOrEmpty(value) ? "-" : value.Replace(' ', '+');

    private static (string, string) Split(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => ((ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(), ip.Port.ToString(CultureInfo.InvariantCulture)),
        null => ("-", "-"),
        _ => (Field(endPoint.ToString()), "-"),
    };
}
