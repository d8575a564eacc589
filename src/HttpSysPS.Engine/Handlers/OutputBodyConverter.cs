using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// Turns what a script handler wrote to its output (a list of objects) into a response body and content type:
/// <list type="bullet">
/// <item>nulls are skipped; nothing left = no body;</item>
/// <item>only strings: <c>text/plain; charset=utf-8</c>, the strings joined with <c>\n</c> (no trailing newline);</item>
/// <item>only <c>byte[]</c> (and single bytes, which is what a shell pipeline makes of an unwrapped byte array):
/// <c>application/octet-stream</c>, concatenated;</item>
/// <item>anything else, or a mix: <c>application/json; charset=utf-8</c> — one object as itself, several as an array.</item>
/// </list>
/// The JSON mapping is fixed here rather than left to reflection-based serialisation, because pipeline objects are
/// arbitrary live .NET objects (a <c>FileInfo</c> reaches the whole file system through <c>Directory.Parent</c>):
/// dictionaries (<see cref="IDictionary"/>, incl. Hashtable) are objects with string keys; other enumerables are arrays;
/// strings, numbers, booleans stay themselves; enums are their names; dates are ISO 8601 (round-trip "O");
/// <see cref="Guid"/>, <see cref="TimeSpan"/>, <see cref="Uri"/>, <see cref="Version"/> and <see cref="char"/> are strings;
/// <c>byte[]</c> nested in an object is base64 (System.Text.Json's convention); any other object is its public readable
/// instance properties (a property whose getter throws is left out). A reference already being written further up
/// (a cycle) is written as <c>null</c>; below <see cref="MaxDepth"/> levels an object is written as its string form,
/// as ConvertTo-Json does at its depth limit.
/// </summary>
public static class OutputBodyConverter
{
    /// <summary>Content type of text bodies.</summary>
    public const string TextContentType = "text/plain; charset=utf-8";

    /// <summary>Content type of byte bodies.</summary>
    public const string BinaryContentType = "application/octet-stream";

    /// <summary>Content type of JSON bodies.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>
    /// Nesting levels written as JSON before an object is written as its string form (our choice: ConvertTo-Json's
    /// default of 2 truncates ordinary API payloads; 32 keeps them whole and still bounds a runaway object graph).
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Converts <paramref name="output"/>; false when it holds nothing but nulls (no body). <paramref name="adapt"/>, when
    /// given, is applied to every value before it is written, at every level (a PowerShell adapter unwraps its wrapper
    /// objects there); it may return the value itself.
    /// </summary>
    public static bool TryConvert(IReadOnlyList<object?> output, out byte[] body, out string contentType, Func<object, object?>? adapt = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var items = new List<object>(output.Count);
        foreach (var item in output)
        {
            var value = Adapt(item, adapt);
            if (value is not null)
            {
                items.Add(value);
            }
        }

        if (items.Count == 0)
        {
            body = [];
            contentType = string.Empty;
            return false;
        }

        if (items.TrueForAll(i => i is string))
        {
            body = Encoding.UTF8.GetBytes(string.Join('\n', items.Cast<string>()));
            contentType = TextContentType;
            return true;
        }

        if (items.TrueForAll(i => i is byte[] or byte))
        {
            body = ConcatenateBytes(items);
            contentType = BinaryContentType;
            return true;
        }

        body = ToJson(items.Count == 1 ? items[0] : items, adapt);
        contentType = JsonContentType;
        return true;
    }

    /// <summary>The JSON form of one value, by the rules above (UTF-8, no indentation).</summary>
    public static byte[] ToJson(object? value, Func<object, object?>? adapt = null)
    {
        var buffer = new MemoryStream();
        // Relaxed escaping: the body is served as application/json, never inlined into HTML, so '+', '<' or 'é' need
        // no \uXXXX forms (the default encoder's HTML-safety would only make the JSON harder to read).
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteValue(writer, Adapt(value, adapt), adapt, new List<object>(), 0);
        }

        return buffer.ToArray();
    }

    private static object? Adapt(object? value, Func<object, object?>? adapt) =>
        value is null || adapt is null ? value : adapt(value);

    private static byte[] ConcatenateBytes(List<object> items)
    {
        var length = items.Sum(i => i is byte[] bytes ? bytes.Length : 1);
        var result = new byte[length];
        var offset = 0;
        foreach (var item in items)
        {
            if (item is byte[] bytes)
            {
                bytes.CopyTo(result, offset);
                offset += bytes.Length;
            }
            else
            {
                result[offset++] = (byte)item;
            }
        }

        return result;
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, Func<object, object?>? adapt, List<object> path, int depth)
    {
        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong ul:
                writer.WriteNumberValue(ul);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case float or double:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                // JSON has no NaN or infinities: their names as strings, as JsonNumberHandling.AllowNamedFloatingPointLiterals writes them.
                if (double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                }
                else
                {
                    writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                }

                return;
            case DateTime dt:
                writer.WriteStringValue(dt.ToString("O", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture));
                return;
            case TimeSpan ts:
                writer.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture));
                return;
            case Guid or Uri or Version:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                return;
        }

        if (depth >= MaxDepth)
        {
            writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
            return;
        }

        // Only reference types can form cycles; a boxed struct is a fresh copy each time.
        if (!value.GetType().IsValueType && path.Exists(p => ReferenceEquals(p, value)))
        {
            writer.WriteNullValue();
            return;
        }

        path.Add(value);
        try
        {
            switch (value)
            {
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(Adapt(entry.Key, adapt), CultureInfo.InvariantCulture) ?? string.Empty);
                        WriteValue(writer, Adapt(entry.Value, adapt), adapt, path, depth + 1);
                    }

                    writer.WriteEndObject();
                    break;
                case IEnumerable sequence:
                    writer.WriteStartArray();
                    foreach (var item in sequence)
                    {
                        WriteValue(writer, Adapt(item, adapt), adapt, path, depth + 1);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    WriteProperties(writer, value, adapt, path, depth);
                    break;
            }
        }
        finally
        {
            path.RemoveAt(path.Count - 1);
        }
    }

    private static void WriteProperties(Utf8JsonWriter writer, object value, Func<object, object?>? adapt, List<object> path, int depth)
    {
        writer.WriteStartObject();
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0 || property.GetMethod is not { IsPublic: true })
            {
                continue;
            }

            object? propertyValue;
            try
            {
                propertyValue = property.GetValue(value);
            }
            catch (Exception e) when (e is TargetInvocationException or NotSupportedException or InvalidOperationException or MemberAccessException)
            {
                // A getter that throws (e.g. a Stream's Length) says nothing about the object worth failing a response for.
                continue;
            }

            writer.WritePropertyName(property.Name);
            WriteValue(writer, Adapt(propertyValue, adapt), adapt, path, depth + 1);
        }

        writer.WriteEndObject();
    }
}
