using System.Runtime.CompilerServices;
using HttpSysPS.Engine.Requests;

namespace HttpSysPS.Engine.WebSockets;

/// <summary>
/// RFC 6455 §5.1: a server must close the connection (1002) on a client frame that is not masked. The BCL's server
/// socket does not: it waits for a masking key the frame does not have. So this view of the client's bytes follows the
/// frame headers as they pass, and in place of an unmasked frame it hands the BCL a complete, masked, empty frame with
/// the two reserved bits no extension uses (RSV2, RSV3) and nothing after it: the BCL fails that through its own
/// protocol-error path — a 1002 close and a <see cref="System.Net.WebSockets.WebSocketException"/> for the receiver.
/// Payload bytes are skipped by count, not looked at; the two first header bytes are always handed over together.
/// </summary>
internal sealed class UnmaskedFrameGuard : AsyncDuplexStream
{
    private const byte MaskBit = 0x80;
    /// <summary>FIN, RSV2, RSV3, text; masked, length 0; a zero masking key.</summary>
    private static readonly byte[] RejectedFrame = [0xB1, 0x80, 0, 0, 0, 0];

    private readonly UpgradedStream _inner;
    private long _payloadLeft;
    private int _headerLeft;
    private int _lengthBytesLeft;
    private long _length;
    private int _heldByte = -1;
    private int _rejectedSent = -1;

    public UnmaskedFrameGuard(UpgradedStream inner) => _inner = inner;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        if (_rejectedSent >= 0)
        {
            // An unmasked frame was seen: the BCL gets the rejected frame, then the end of the stream.
            var n = Math.Min(buffer.Length, RejectedFrame.Length - _rejectedSent);
            RejectedFrame.AsSpan(_rejectedSent, n).CopyTo(buffer.Span);
            _rejectedSent += n;
            return n;
        }

        var start = 0;
        if (_heldByte >= 0)
        {
            buffer.Span[0] = (byte)_heldByte;
            _heldByte = -1;
            start = 1;
        }

        var count = start;
        do
        {
            var n = await _inner.ReadAsync(buffer[count..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return count;
            }

            count += n;
        }
        while (count == 1 && AtFrameStart);

        var valid = Inspect(buffer.Span[..count]);
        return valid > 0 || _rejectedSent < 0 ? valid : await ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _inner.WriteAsync(buffer, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
    }

    /// <summary>True when the next byte to be read begins a frame (no header or payload bytes are still owed).</summary>
    private bool AtFrameStart => _payloadLeft == 0 && _headerLeft == 0;

    /// <summary>Walks the frame headers in <paramref name="bytes"/>; returns how many bytes to hand over (a frame's lone first byte waits for its second).</summary>
    private int Inspect(Span<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, bytes.Length - i);
                _payloadLeft -= skip;
                i += skip;
                continue;
            }

            if (_headerLeft > 0)
            {
                // Extended length and masking key: only the length matters, and it is read from the bytes that carry it.
                ConsumeHeaderByte(bytes[i]);
                i++;
                continue;
            }

            if (i + 1 == bytes.Length)
            {
                _heldByte = bytes[i];
                return i;
            }

            var second = bytes[i + 1];
            if ((second & MaskBit) == 0)
            {
                _rejectedSent = 0;
                return i;
            }

            StartFrame(second);
            i += 2;
        }

        return bytes.Length;
    }

    private void StartFrame(byte second)
    {
        var length = second & 0x7f;
        _lengthBytesLeft = length switch { 126 => 2, 127 => 8, _ => 0 };
        _length = _lengthBytesLeft == 0 ? length : 0;
        _headerLeft = _lengthBytesLeft + ((second & MaskBit) != 0 ? 4 : 0);
        if (_headerLeft == 0)
        {
            _payloadLeft = _length;
        }
    }

    private void ConsumeHeaderByte(byte value)
    {
        if (_lengthBytesLeft > 0)
        {
            _length = (_length << 8) | value;
            _lengthBytesLeft--;
        }

        if (--_headerLeft == 0)
        {
            _payloadLeft = _length;
        }
    }
}
