using System.Collections;

namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// An ordered, case-insensitive multi-map of HTTP header fields. Small by design: requests carry a handful of fields,
/// so a linear scan beats hashing, and known names are interned so most comparisons are reference checks.
/// </summary>
public sealed class HeaderCollection : IEnumerable<KeyValuePair<string, string>>
{
    private string[] _names = new string[8];
    private string[] _values = new string[8];
    private int _count;

    /// <summary>Number of header fields (a repeated name counts once per field line).</summary>
    public int Count => _count;

    /// <summary>Gets the values of <paramref name="name"/> joined with ", " (RFC 9110 §5.3), or null; setting replaces all fields of that name.</summary>
    public string? this[string name]
    {
        get => Get(name);
        set
        {
            Remove(name);
            if (value is not null)
            {
                Add(name, value);
            }
        }
    }

    /// <summary>Adds a field line, keeping any existing ones of the same name.</summary>
    public void Add(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (_count == _names.Length)
        {
            Array.Resize(ref _names, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }

        _names[_count] = name;
        _values[_count] = value;
        _count++;
    }

    /// <summary>Returns the combined value or null.</summary>
    public string? Get(string name)
    {
        string? first = null;
        List<string>? more = null;
        for (var i = 0; i < _count; i++)
        {
            if (NameEquals(_names[i], name))
            {
                if (first is null)
                {
                    first = _values[i];
                }
                else
                {
                    (more ??= new List<string> { first }).Add(_values[i]);
                }
            }
        }

        return more is null ? first : string.Join(", ", more);
    }

    /// <summary>True when at least one field of that name exists.</summary>
    public bool Contains(string name) => IndexOf(name, 0) >= 0;

    /// <summary>Gets the first value of a field without joining.</summary>
    public bool TryGetValue(string name, out string value)
    {
        var index = IndexOf(name, 0);
        value = index >= 0 ? _values[index] : string.Empty;
        return index >= 0;
    }

    /// <summary>All field values of that name, in order.</summary>
    public IReadOnlyList<string> GetValues(string name)
    {
        var list = new List<string>();
        for (var i = 0; i < _count; i++)
        {
            if (NameEquals(_names[i], name))
            {
                list.Add(_values[i]);
            }
        }

        return list;
    }

    /// <summary>Counts the field lines of that name.</summary>
    public int CountOf(string name)
    {
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            if (NameEquals(_names[i], name))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Removes every field of that name; true when any was removed.</summary>
    public bool Remove(string name)
    {
        var write = 0;
        for (var read = 0; read < _count; read++)
        {
            if (NameEquals(_names[read], name))
            {
                continue;
            }

            _names[write] = _names[read];
            _values[write] = _values[read];
            write++;
        }

        var removed = write != _count;
        Array.Clear(_names, write, _count - write);
        Array.Clear(_values, write, _count - write);
        _count = write;
        return removed;
    }

    /// <summary>Removes every field.</summary>
    public void Clear()
    {
        Array.Clear(_names, 0, _count);
        Array.Clear(_values, 0, _count);
        _count = 0;
    }

    internal string NameAt(int index) => _names[index];

    internal string ValueAt(int index) => _values[index];

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return new KeyValuePair<string, string>(_names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string name, int start)
    {
        for (var i = start; i < _count; i++)
        {
            if (NameEquals(_names[i], name))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool NameEquals(string a, string b) => ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
