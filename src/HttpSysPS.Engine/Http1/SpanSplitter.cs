namespace HttpSysPS.Engine.Http1;

/// <summary>Enumerates the pieces of a span between separators, allocation-free (net8.0 has no span Split).</summary>
internal ref struct SpanSplitter<T>
    where T : IEquatable<T>
{
    private readonly T _separator;
    private ReadOnlySpan<T> _rest;
    private bool _done;

    public SpanSplitter(ReadOnlySpan<T> text, T separator)
    {
        _rest = text;
        _separator = separator;
        _done = false;
        Current = default;
    }

    public ReadOnlySpan<T> Current { get; private set; }

    public readonly SpanSplitter<T> GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_done)
        {
            return false;
        }

        var i = _rest.IndexOf(_separator);
        if (i < 0)
        {
            Current = _rest;
            _done = true;
        }
        else
        {
            Current = _rest[..i];
            _rest = _rest[(i + 1)..];
        }

        return true;
    }
}
