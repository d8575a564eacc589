using System.Buffers;
using System.Runtime.CompilerServices;

namespace HttpSysPS.Engine.Http1;

/// <summary>How reading a request head ended.</summary>
internal enum HeadReadOutcome
{
    /// <summary>A head was parsed into the request.</summary>
    Parsed,

    /// <summary>The head is malformed or over a limit; answer with the rejection and close.</summary>
    Rejected,

    /// <summary>The client closed (between requests or mid-head), or a close was requested while idle: nothing to answer.</summary>
    Closed,
}

/// <summary>
/// Reads one request head off a connection's input: skips the empty lines RFC 9112 §2.2 allows, scans for the end of
/// the head under the limits before parsing anything, then parses it into the request.
/// </summary>
internal sealed class Http1HeadReader
{
    private readonly Http1Connection _connection;
    private readonly RequestLimits _limits;
    private readonly Http1HeadParser _parser = new();
    private RequestFraming _framing;

    public Http1HeadReader(Http1Connection connection, RequestLimits limits)
    {
        _connection = connection;
        _limits = limits;
    }

    /// <summary>What the last parsed head says about its message.</summary>
    public RequestFraming Framing => _framing;

    // Pooled: on a keep-alive connection this completes asynchronously once per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(HeadReadOutcome Outcome, RequestRejection Rejection)> ReadAsync(InputBuffer input, Handlers.Request request)
    {
        var scanner = HeadScanner.Start();
        InputReadResult result;
        ReadOnlySequence<byte> buffer;
        int headLength;
        while (true)
        {
            if (!input.TryRead(out result))
            {
                if (!await _connection.BeforeBlockingReadAsync(scanner.Started).ConfigureAwait(false))
                {
                    return (HeadReadOutcome.Closed, default);
                }

                result = await input.ReadAsync().ConfigureAwait(false);
            }

            buffer = result.Buffer;
            if (!scanner.Started && SkipEmptyLines(input, buffer, result.IsCompleted))
            {
                continue;
            }

            if (!buffer.IsEmpty && _connection.IsIdle)
            {
                _connection.OnHeadStarted();
            }

            if (scanner.TryScan(buffer.FirstSpan, _limits, out headLength, out var rejection))
            {
                break;
            }

            if (rejection is { } reason)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                return (HeadReadOutcome.Rejected, reason);
            }

            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return (HeadReadOutcome.Closed, default);
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }

        var parseRejection = _parser.Parse(buffer.FirstSpan[..headLength], request, _limits, out _framing);
        input.AdvanceTo(buffer.GetPosition(headLength));
        return parseRejection is { } bad ? (HeadReadOutcome.Rejected, bad) : (HeadReadOutcome.Parsed, default);
    }

    /// <summary>
    /// RFC 9112 §2.2: empty lines before a request-line are ignored — also when the CR and the LF arrive in different
    /// reads. True when the caller must read again (a line was skipped, or a lone CR waits for its LF).
    /// </summary>
    private static bool SkipEmptyLines(InputBuffer input, ReadOnlySequence<byte> buffer, bool completed)
    {
        var span = buffer.FirstSpan;
        if (span.Length >= 2 && span[0] == (byte)'\r' && span[1] == (byte)'\n')
        {
            input.AdvanceTo(buffer.GetPosition(2));
            return true;
        }

        if (span.Length == 1 && span[0] == (byte)'\r' && !completed)
        {
            input.AdvanceTo(buffer.Start, buffer.End);
            return true;
        }

        return false;
    }
}
