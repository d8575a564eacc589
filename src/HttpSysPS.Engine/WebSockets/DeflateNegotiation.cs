using System.Net.WebSockets;
using System.Text;

namespace HttpSysPS.Engine.WebSockets;

/// <summary>
/// Accepts a client's permessage-deflate offer (RFC 7692 §7.1): the first offer in <c>Sec-WebSocket-Extensions</c>
/// whose parameters are all known, valid and within what the BCL's deflater supports (window bits 9 to 15).
/// </summary>
internal static class DeflateNegotiation
{
    private const string Extension = "permessage-deflate";

    /// <summary>The options for the socket and the <c>Sec-WebSocket-Extensions</c> answer, or null when no offer is acceptable.</summary>
    public static (WebSocketDeflateOptions Options, string Response)? Negotiate(IReadOnlyList<string> extensionHeaders)
    {
        foreach (var header in extensionHeaders)
        {
            foreach (var offer in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (TryAccept(offer) is { } accepted)
                {
                    return accepted;
                }
            }
        }

        return null;
    }

    private static (WebSocketDeflateOptions, string)? TryAccept(string offer)
    {
        var parts = offer.Split(';', StringSplitOptions.TrimEntries);
        if (!parts[0].Equals(Extension, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var options = new WebSocketDeflateOptions();
        var response = new StringBuilder(Extension);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.AsSpan(1))
        {
            var eq = part.IndexOf('=');
            var name = (eq < 0 ? part : part[..eq]).Trim();
            var value = eq < 0 ? null : part[(eq + 1)..].Trim().Trim('"');
            if (!seen.Add(name))
            {
                return null;
            }

            switch (name.ToLowerInvariant())
            {
                case "server_no_context_takeover" when value is null:
                    options.ServerContextTakeover = false;
                    response.Append("; server_no_context_takeover");
                    break;
                case "client_no_context_takeover" when value is null:
                    options.ClientContextTakeover = false;
                    response.Append("; client_no_context_takeover");
                    break;
                case "server_max_window_bits" when WindowBits(value) is { } bits:
                    options.ServerMaxWindowBits = bits;
                    response.Append("; server_max_window_bits=").Append(bits);
                    break;
                case "client_max_window_bits" when value is null:
                    // The client may take a limit; we give none (it keeps 15).
                    break;
                case "client_max_window_bits" when WindowBits(value) is { } bits:
                    options.ClientMaxWindowBits = bits;
                    response.Append("; client_max_window_bits=").Append(bits);
                    break;
                default:
                    return null;
            }
        }

        return (options, response.ToString());
    }

    /// <summary>RFC 7692 allows 8 to 15; zlib (under the BCL) cannot use 8, so such an offer is declined.</summary>
    private static int? WindowBits(string? value) =>
        value is not null && value.Length <= 2 && int.TryParse(value, out var bits) && bits is >= 9 and <= 15 ? bits : null;
}
