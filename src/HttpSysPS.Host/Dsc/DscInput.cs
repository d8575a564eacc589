using System.Text.Json;
using System.Text.Json.Nodes;

namespace HttpSysPS.Host.Dsc;

/// <summary>
/// One instance as DSC sends it (a JSON object on stdin or in <c>--input</c>), read strictly: each property is read
/// once with its type checked, and <see cref="RejectUnknown"/> refuses any property the resource did not read, so a
/// typo never passes as "nothing to change". Properties starting with <c>_</c> that a resource does not use are DSC's
/// own (canonical properties such as <c>_inDesiredState</c> in an echoed state) and are ignored.
/// </summary>
internal sealed class DscInput
{
    private readonly JsonObject _instance;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private DscInput(JsonObject instance, string resource)
    {
        _instance = instance;
        Resource = resource;
    }

    /// <summary>The resource's short name, for messages.</summary>
    public string Resource { get; }

    /// <summary>Parses <paramref name="json"/>; empty or blank text is an empty instance (DSC sends nothing when it has no input).</summary>
    public static DscInput Parse(string json, string resource)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new DscInput([], resource);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new DscInputException($"The {resource} instance is not valid JSON: {e.Message}");
        }

        return node is JsonObject instance
            ? new DscInput(instance, resource)
            : throw new DscInputException($"The {resource} instance must be a JSON object, not {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}.");
    }

    /// <summary>True when the instance names <paramref name="name"/> (with any value but null).</summary>
    public bool Has(string name) => _instance[name] is not null;

    /// <summary>A string property; null when absent. <paramref name="required"/> makes absence an error.</summary>
    public string? String(string name, bool required = false)
    {
        var node = Take(name, required);
        return node is null ? null
            : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>()
            : throw WrongType(name, "a string");
    }

    /// <summary>A boolean property; null when absent.</summary>
    public bool? Bool(string name)
    {
        var node = Take(name, required: false);
        return node is null ? null
            : node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? node.GetValue<bool>()
            : throw WrongType(name, "true or false");
    }

    /// <summary>An integer property; null when absent. The range is checked by the engine's options records.</summary>
    public long? Integer(string name)
    {
        var node = Take(name, required: false);
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out var value)
            ? value
            : throw WrongType(name, "an integer");
    }

    /// <summary>An array of objects, each read by <paramref name="item"/> as an instance of its own; null when absent.</summary>
    public IReadOnlyList<T>? Objects<T>(string name, Func<DscInput, T> item)
    {
        var node = Take(name, required: false);
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw WrongType(name, "an array");
        }

        return array.Select((element, i) =>
        {
            var nested = element is JsonObject o ? new DscInput(o, $"{Resource} {name}[{i}]") : throw WrongType($"{name}[{i}]", "an object");
            var value = item(nested);
            nested.RejectUnknown();
            return value;
        }).ToList();
    }

    /// <summary>A read-only property: accepted (get's output fed back in as a desired state) and ignored.</summary>
    public void ReadOnly(string name) => _read.Add(name);

    /// <summary>DSC's <c>_exist</c>: true when absent (the instance should exist).</summary>
    public bool Exist => Bool("_exist") ?? true;

    /// <summary>Fails on any property that was not read, except DSC's own <c>_</c> properties.</summary>
    public void RejectUnknown()
    {
        var unknown = _instance.Select(p => p.Key).FirstOrDefault(k => !_read.Contains(k) && !k.StartsWith('_'));
        if (unknown is not null)
        {
            throw new DscInputException($"The {Resource} instance has no property '{unknown}' (see the schema in its manifest).");
        }
    }

    private JsonNode? Take(string name, bool required)
    {
        _read.Add(name);
        var node = _instance[name];
        return node is null && required
            ? throw new DscInputException($"The {Resource} instance needs the property '{name}'.")
            : node;
    }

    private DscInputException WrongType(string name, string expected) =>
        new($"The {Resource} property '{name}' must be {expected}.");
}
