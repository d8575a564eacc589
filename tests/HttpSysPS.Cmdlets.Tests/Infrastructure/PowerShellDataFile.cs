using System.Globalization;
using System.Text;

namespace HttpSysPS.Cmdlets.Tests.Infrastructure;

/// <summary>
/// Reads the subset of PowerShell syntax a module manifest (.psd1) uses — hashtables <c>@{ k = v }</c>, arrays
/// <c>@( ... )</c> and comma lists, single- and double-quoted strings, numbers, <c>$true</c>/<c>$false</c>/<c>$null</c>,
/// comments — without PowerShell. Anything else (variables, expandable strings, commands) is a FormatException with
/// line and column: Import-PowerShellDataFile would reject it too.
/// Values: <see cref="Dictionary{TKey,TValue}"/> (keys case-insensitive), <see cref="List{T}"/>, string, bool, long, null.
/// </summary>
public sealed class PowerShellDataFile
{
    private readonly string text;
    private int position;

    private PowerShellDataFile(string text) => this.text = text;

    /// <summary>Parses a whole data file whose top level is one hashtable.</summary>
    public static Dictionary<string, object?> ParseHashtable(string text)
    {
        var parser = new PowerShellDataFile(text.TrimStart('\uFEFF'));
        parser.SkipTrivia(newlines: true);
        var value = parser.Value();
        parser.SkipTrivia(newlines: true);
        if (parser.position < parser.text.Length)
        {
            throw parser.Error("text after the top-level value");
        }

        return value as Dictionary<string, object?> ?? throw parser.Error("the top level must be a hashtable @{ ... }");
    }

    /// <summary>A value as a list of strings: a single string becomes a one-element list; null an empty one.</summary>
    public static List<string> Strings(object? value) => value switch
    {
        null => [],
        string s => [s],
        List<object?> list => list.Select(v => v as string ?? throw new FormatException($"expected only strings, found {v ?? "$null"}")).ToList(),
        _ => throw new FormatException($"expected a string or an array of strings, found {value}"),
    };

    private object? Value()
    {
        var first = Single();
        SkipTrivia(newlines: false);
        if (Peek() != ',')
        {
            return first;
        }

        var list = new List<object?> { first };
        while (Peek() == ',')
        {
            position++;
            SkipTrivia(newlines: true);
            list.Add(Single());
            SkipTrivia(newlines: false);
        }

        return list;
    }

    private object? Single()
    {
        if (Match("@{"))
        {
            return Hashtable();
        }

        if (Match("@("))
        {
            return Array();
        }

        var c = Peek();
        if (c == '\'')
        {
            return SingleQuoted();
        }

        if (c == '"')
        {
            return DoubleQuoted();
        }

        if (c == '$')
        {
            var word = Word(1);
            switch (word.ToLowerInvariant())
            {
                case "$true": return true;
                case "$false": return false;
                case "$null": return null;
                default: throw Error($"variable {word} is not allowed in a data file");
            }
        }

        if (char.IsAsciiDigit(c) || c == '-')
        {
            var number = Word(1);
            return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw Error($"'{number}' is not a number (quote strings)");
        }

        throw Error($"unexpected '{(position < text.Length ? text[position] : "end of file")}'");
    }

    private Dictionary<string, object?> Hashtable()
    {
        var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipSeparators();
            if (Match("}"))
            {
                return result;
            }

            var keyLine = Location();
            string key = Peek() switch
            {
                '\'' => SingleQuoted(),
                '"' => DoubleQuoted(),
                _ when char.IsLetter(Peek()) || Peek() == '_' => Word(0),
                _ => throw Error("expected a key or '}'"),
            };
            SkipTrivia(newlines: false);
            if (!Match("="))
            {
                throw Error($"expected '=' after key '{key}'");
            }

            SkipTrivia(newlines: true);
            if (!result.TryAdd(key, Value()))
            {
                throw new FormatException($"{keyLine}: duplicate key '{key}'");
            }

            SkipTrivia(newlines: false);
            if (Peek() is not (';' or '\n' or '\r' or '}'))
            {
                throw Error($"expected ';', a new line or '}}' after the value of '{key}'");
            }
        }
    }

    private List<object?> Array()
    {
        var result = new List<object?>();
        while (true)
        {
            SkipSeparators();
            if (Match(")"))
            {
                return result;
            }

            var value = Value();
            if (value is List<object?> list)
            {
                result.AddRange(list);
            }
            else
            {
                result.Add(value);
            }

            SkipTrivia(newlines: false);
            if (Peek() is not (';' or '\n' or '\r' or ')'))
            {
                throw Error("expected ',', ';', a new line or ')' in the array");
            }
        }
    }

    private string SingleQuoted()
    {
        var start = Location();
        position++;
        var sb = new StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '\'')
            {
                if (Peek() == '\'')
                {
                    position++;
                    sb.Append('\'');
                    continue;
                }

                return sb.ToString();
            }

            sb.Append(c);
        }

        throw new FormatException($"{start}: string never closed");
    }

    private string DoubleQuoted()
    {
        var start = Location();
        position++;
        var sb = new StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            switch (c)
            {
                case '"' when Peek() == '"':
                    position++;
                    sb.Append('"');
                    break;
                case '"':
                    return sb.ToString();
                case '`' when position < text.Length:
                    var e = text[position++];
                    sb.Append(e switch { 'n' => '\n', 'r' => '\r', 't' => '\t', '0' => '\0', _ => e });
                    break;
                case '$' when position < text.Length && (char.IsLetter(text[position]) || text[position] is '(' or '{' or '_'):
                    position--;
                    throw Error("an expandable \"$...\" string is not allowed in a data file");
                default:
                    sb.Append(c);
                    break;
            }
        }

        throw new FormatException($"{start}: string never closed");
    }

    private string Word(int skip)
    {
        var start = position;
        position += skip;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '.' or '-'))
        {
            position++;
        }

        return text[start..position];
    }

    private void SkipSeparators()
    {
        while (true)
        {
            SkipTrivia(newlines: true);
            if (Peek() == ';')
            {
                position++;
                continue;
            }

            return;
        }
    }

    private void SkipTrivia(bool newlines)
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '#')
            {
                while (position < text.Length && text[position] != '\n')
                {
                    position++;
                }
            }
            else if (c == '<' && Peek(1) == '#')
            {
                var end = text.IndexOf("#>", position + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Error("block comment <# never closed");
                }

                position = end + 2;
            }
            else if (c == '`' && Peek(1) is '\n' or '\r')
            {
                position += 2;
            }
            else if (c is ' ' or '\t' || (newlines && c is '\n' or '\r'))
            {
                position++;
            }
            else
            {
                return;
            }
        }
    }

    private bool Match(string token)
    {
        if (string.CompareOrdinal(text, position, token, 0, token.Length) == 0)
        {
            position += token.Length;
            return true;
        }

        return false;
    }

    private char Peek(int ahead = 0) => position + ahead < text.Length ? text[position + ahead] : '\0';

    private string Location()
    {
        var before = text.AsSpan(0, Math.Min(position, text.Length));
        var line = before.Count('\n') + 1;
        var column = position - (before.LastIndexOf('\n') + 1) + 1;
        return $"line {line}, column {column}";
    }

    private FormatException Error(string problem) => new($"{Location()}: {problem}");
}
