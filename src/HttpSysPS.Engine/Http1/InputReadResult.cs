using System.Buffers;

namespace HttpSysPS.Engine.Http1;

/// <summary>What <see cref="InputBuffer"/> returned: the unconsumed bytes and whether the peer finished sending.</summary>
internal readonly record struct InputReadResult(ReadOnlySequence<byte> Buffer, bool IsCompleted);
