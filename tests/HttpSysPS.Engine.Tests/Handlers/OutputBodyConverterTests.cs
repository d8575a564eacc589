using System.Collections;
using System.Collections.Specialized;
using System.Text;
using System.Text.Json;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Handlers;

public class OutputBodyConverterTests
{
    [Fact]
    public void Nothing_or_only_nulls_is_no_body()
    {
        Assert.False(OutputBodyConverter.TryConvert([], out _, out _));
        Assert.False(OutputBodyConverter.TryConvert([null, null], out var body, out var type));
        Assert.Empty(body);
        Assert.Equal(string.Empty, type);
    }

    [Fact]
    public void One_string_is_utf8_text()
    {
        Assert.True(OutputBodyConverter.TryConvert(["héllo"], out var body, out var type));
        Assert.Equal("text/plain; charset=utf-8", type);
        Assert.Equal(Encoding.UTF8.GetBytes("héllo"), body);
    }

    [Fact]
    public void Several_strings_are_joined_with_newlines_and_nulls_skipped()
    {
        Assert.True(OutputBodyConverter.TryConvert(["a", null, "b", "", "c"], out var body, out var type));
        Assert.Equal(OutputBodyConverter.TextContentType, type);
        Assert.Equal("a\nb\n\nc", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Byte_arrays_are_concatenated_as_octet_stream()
    {
        Assert.True(OutputBodyConverter.TryConvert([new byte[] { 1, 2 }, null, new byte[] { 3 }], out var body, out var type));
        Assert.Equal("application/octet-stream", type);
        Assert.Equal(new byte[] { 1, 2, 3 }, body);
    }

    [Fact]
    public void Single_bytes_from_an_unrolled_array_are_bytes_too()
    {
        // A shell pipeline enumerates a byte[] written without the unary comma: the bytes arrive one by one.
        Assert.True(OutputBodyConverter.TryConvert([(byte)0x48, new byte[] { 0x49 }, (byte)0x21], out var body, out var type));
        Assert.Equal(OutputBodyConverter.BinaryContentType, type);
        Assert.Equal("HI!"u8.ToArray(), body);
    }

    [Fact]
    public void A_hashtable_is_a_json_object()
    {
        var table = new Hashtable { ["name"] = "web", ["port"] = 8080, ["on"] = true, ["none"] = null };
        Assert.True(OutputBodyConverter.TryConvert([table], out var body, out var type));
        Assert.Equal("application/json; charset=utf-8", type);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        Assert.Equal("web", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(8080, json.RootElement.GetProperty("port").GetInt32());
        Assert.True(json.RootElement.GetProperty("on").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("none").ValueKind);
    }

    [Fact]
    public void An_ordered_dictionary_keeps_its_order()
    {
        var ordered = new OrderedDictionary { ["z"] = 1, ["a"] = 2, ["m"] = 3 };
        Assert.True(OutputBodyConverter.TryConvert([ordered], out var body, out _));
        Assert.Equal("""{"z":1,"a":2,"m":3}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Several_objects_are_an_array()
    {
        Assert.True(OutputBodyConverter.TryConvert([1, 2.5, null, 3], out var body, out var type));
        Assert.Equal(OutputBodyConverter.JsonContentType, type);
        Assert.Equal("[1,2.5,3]", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void A_single_number_is_a_json_number()
    {
        Assert.True(OutputBodyConverter.TryConvert([42], out var body, out var type));
        Assert.Equal(OutputBodyConverter.JsonContentType, type);
        Assert.Equal("42", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Mixed_strings_and_objects_are_a_json_array()
    {
        Assert.True(OutputBodyConverter.TryConvert(["a", 1, new byte[] { 1 }], out var body, out var type));
        Assert.Equal(OutputBodyConverter.JsonContentType, type);
        Assert.Equal("""["a",1,"AQ=="]""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Strings_and_bytes_mixed_are_json_not_text_or_binary()
    {
        Assert.True(OutputBodyConverter.TryConvert(["a", (byte)1], out var body, out var type));
        Assert.Equal(OutputBodyConverter.JsonContentType, type);
        Assert.Equal("""["a",1]""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Objects_are_their_public_properties_with_scalars_in_fixed_forms()
    {
        var item = new Sample
        {
            Text = "x",
            When = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)),
            Span = TimeSpan.FromSeconds(90),
            Kind = DayOfWeek.Friday,
            Id = Guid.Parse("0792cfb9-d107-4a39-8695-126120245255"),
            Ratio = double.NaN,
            Letter = 'q',
        };
        var json = Encoding.UTF8.GetString(OutputBodyConverter.ToJson(item));
        Assert.Equal(
            """{"Text":"x","When":"2024-05-06T07:08:09.0000000+02:00","Span":"00:01:30","Kind":"Friday","Id":"0792cfb9-d107-4a39-8695-126120245255","Ratio":"NaN","Letter":"q","Items":[]}""",
            json);
    }

    [Fact]
    public void Json_text_is_not_html_escaped_but_still_valid()
    {
        var json = Encoding.UTF8.GetString(OutputBodyConverter.ToJson(new Hashtable { ["s"] = "a+b <é> \"q\"\n" }));
        Assert.Equal("{\"s\":\"a+b <é> \\\"q\\\"\\n\"}", json);
        Assert.Equal("a+b <é> \"q\"\n", JsonDocument.Parse(json).RootElement.GetProperty("s").GetString());
    }

    [Fact]
    public void A_property_whose_getter_throws_is_left_out()
    {
        var json = Encoding.UTF8.GetString(OutputBodyConverter.ToJson(new Throwing()));
        Assert.Equal("""{"Fine":1}""", json);
    }

    [Fact]
    public void A_cycle_is_written_as_null_and_does_not_recurse()
    {
        var node = new Node { Name = "root" };
        node.Next = node;
        Assert.Equal("""{"Name":"root","Next":null}""", Encoding.UTF8.GetString(OutputBodyConverter.ToJson(node)));

        var table = new Hashtable();
        table["self"] = table;
        Assert.Equal("""{"self":null}""", Encoding.UTF8.GetString(OutputBodyConverter.ToJson(table)));
    }

    [Fact]
    public void A_shared_object_that_is_not_a_cycle_is_written_each_time()
    {
        var shared = new Node { Name = "s" };
        var list = new List<object> { shared, shared };
        Assert.Equal("""[{"Name":"s","Next":null},{"Name":"s","Next":null}]""", Encoding.UTF8.GetString(OutputBodyConverter.ToJson(list)));
    }

    [Fact]
    public void Nesting_beyond_MaxDepth_is_written_as_the_string_form()
    {
        var head = new Node { Name = "0" };
        var current = head;
        for (var i = 1; i <= OutputBodyConverter.MaxDepth + 5; i++)
        {
            current.Next = new Node { Name = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            current = current.Next;
        }

        using var json = JsonDocument.Parse(OutputBodyConverter.ToJson(head));
        var element = json.RootElement;
        var levels = 0;
        while (element.ValueKind == JsonValueKind.Object)
        {
            element = element.GetProperty("Next");
            levels++;
        }

        Assert.Equal(OutputBodyConverter.MaxDepth, levels);
        Assert.Equal(JsonValueKind.String, element.ValueKind);
        Assert.Equal(typeof(Node).FullName, element.GetString());
    }

    [Fact]
    public void The_adapter_is_applied_at_every_level()
    {
        // What the PowerShell adapter does with wrappers: here a Wrapper stands for a PSObject around a base object.
        var output = new List<object?> { new Wrapper("top"), new Hashtable { ["inner"] = new Wrapper(new List<object> { new Wrapper(7) }) } };
        static object? Unwrap(object value) => value is Wrapper w ? w.Value : value;

        Assert.True(OutputBodyConverter.TryConvert(output, out var body, out var type, Unwrap));
        Assert.Equal(OutputBodyConverter.JsonContentType, type);
        Assert.Equal("""["top",{"inner":[7]}]""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void The_adapter_decides_the_kind_of_body()
    {
        // Wrapped strings are still strings, and an adapter returning null drops the item.
        static object? Unwrap(object value) => value is Wrapper w ? w.Value : value;
        Assert.True(OutputBodyConverter.TryConvert([new Wrapper("a"), new Wrapper(null), "b"], out var body, out var type, Unwrap));
        Assert.Equal(OutputBodyConverter.TextContentType, type);
        Assert.Equal("a\nb", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Dictionary_keys_are_strings_and_nested_collections_arrays()
    {
        var data = new Dictionary<int, object?> { [1] = new[] { "x", "y" }, [2] = new Dictionary<string, int> { ["n"] = 3 } };
        Assert.Equal("""{"1":["x","y"],"2":{"n":3}}""", Encoding.UTF8.GetString(OutputBodyConverter.ToJson(data)));
    }

    private sealed class Sample
    {
        public string? Text { get; init; }

        public DateTimeOffset When { get; init; }

        public TimeSpan Span { get; init; }

        public DayOfWeek Kind { get; init; }

        public Guid Id { get; init; }

        public double Ratio { get; init; }

        public char Letter { get; init; }

        public List<int> Items { get; } = [];

        public string this[int index] => "indexers are not properties of the JSON object";

        internal string Hidden => "not public";
    }

    private sealed class Throwing
    {
        public int Fine => 1;

        public int Broken => throw new InvalidOperationException("no");
    }

    private sealed class Node
    {
        public string Name { get; init; } = string.Empty;

        public Node? Next { get; set; }
    }

    private sealed record Wrapper(object? Value);
}
