using System.Globalization;

namespace HttpSysPS.Host.Netsh;

/// <summary>
/// A parsed netsh-style line: <c>VERB OBJECT key=value ...</c> plus our options <c>--json</c>, <c>--force</c> and
/// <c>--config PATH</c>. Keys are case-insensitive as in netsh; each may appear once.
/// </summary>
internal sealed class NetshArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    private NetshArguments(string verb, string noun, Dictionary<string, string> values, bool json, bool force, string? configPath)
    {
        Verb = verb;
        Noun = noun;
        _values = values;
        Json = json;
        Force = force;
        ConfigPath = configPath;
    }

    /// <summary>add, delete, show or update (lower case).</summary>
    public string Verb { get; }

    /// <summary>urlacl, sslcert, timeout, cachestate or cache (lower case).</summary>
    public string Noun { get; }

    public bool Json { get; }

    public bool Force { get; }

    public string? ConfigPath { get; }

    public static NetshArguments Parse(string[] args)
    {
        bool json = false, force = false;
        string? config = null;
        var positional = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--json")
            {
                json = true;
            }
            else if (arg == "--force")
            {
                force = true;
            }
            else if (arg == "--config")
            {
                config = i + 1 < args.Length ? args[++i] : throw new NetshUsageException("--config needs a path.");
            }
            else if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                config = arg["--config=".Length..];
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new NetshUsageException($"Unknown option '{arg}'.");
            }
            else if (arg.IndexOf('=') is var eq and > 0)
            {
                var key = arg[..eq];
                if (!values.TryAdd(key, arg[(eq + 1)..]))
                {
                    throw new NetshUsageException($"The parameter '{key}' is given more than once.");
                }
            }
            else if (positional.Count < 2)
            {
                positional.Add(arg.ToLowerInvariant());
            }
            else
            {
                throw new NetshUsageException($"Unexpected argument '{arg}': parameters are written key=value.");
            }
        }

        if (positional.Count < 2)
        {
            throw new NetshUsageException("Expected: httpsys add|delete|show|update urlacl|sslcert|timeout key=value ..., show cachestate or delete cache");
        }

        return new NetshArguments(positional[0], positional[1], values, json, force, config);
    }

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public string? Get(string key)
    {
        _used.Add(key);
        return _values.TryGetValue(key, out var value) ? value : null;
    }

    public string Require(string key) => Get(key) ?? throw new NetshUsageException($"The parameter '{key}=' is required for '{Verb} {Noun}'.");

    /// <summary>netsh booleans: yes/no, enable/disable (also true/false); <paramref name="fallback"/> when absent.</summary>
    public bool GetBool(string key, bool fallback)
    {
        var value = Get(key);
        return value?.ToLowerInvariant() switch
        {
            null => fallback,
            "yes" or "enable" or "enabled" or "true" => true,
            "no" or "disable" or "disabled" or "false" => false,
            _ => throw new NetshUsageException($"The parameter '{key}={value}' must be yes|no (or enable|disable)."),
        };
    }

    /// <summary>A number, decimal or 0x-hex (netsh accepts hex for timeout values).</summary>
    public long GetNumber(string key)
    {
        var text = Require(key);
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? value : throw new NetshUsageException($"The parameter '{key}={text}' is not a number.");
    }

    /// <summary>Keys given but never asked for, minus <paramref name="ignorable"/>: they are typos or unsupported.</summary>
    public IReadOnlyList<string> Unused(IEnumerable<string>? ignorable = null)
    {
        var ignore = new HashSet<string>(ignorable ?? [], StringComparer.OrdinalIgnoreCase);
        return _values.Keys.Where(k => !_used.Contains(k) && !ignore.Contains(k)).ToList();
    }

    /// <summary>Given keys that are in <paramref name="keys"/>.</summary>
    public IReadOnlyList<string> Present(IEnumerable<string> keys) => keys.Where(_values.ContainsKey).ToList();

    /// <summary>Fails on any key that was not used by the verb.</summary>
    public void RejectUnknown(IEnumerable<string>? ignorable = null)
    {
        var unused = Unused(ignorable);
        if (unused.Count > 0)
        {
            throw new NetshUsageException($"Unknown parameter '{unused[0]}=' for '{Verb} {Noun}'.");
        }
    }
}
