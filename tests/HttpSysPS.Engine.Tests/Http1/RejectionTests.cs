using HttpSysPS.Engine.Http1;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Http1;

/// <summary>
/// Every malformed request of RFC 9112's strict rules and HTTP.sys's limits, over a raw socket: the exact status
/// line and error-page heading, <c>Connection: close</c>, the server closing the connection, and the server still
/// serving the next connection.
/// </summary>
public class RejectionTests
{
    private const string Bad = "HTTP/1.1 400 Bad Request";

    /// <summary>Small MaxFieldLength keeps the field/URL length cases small; MaxRequestBytes stays at the HTTP.sys default.</summary>
    private static readonly RequestLimits Limits = new() { MaxFieldLength = 1024 };

    public static TheoryData<string, string, string, string> Cases => new()
    {
        // Framing (request smuggling vectors, RFC 9112 §6).
        { "Content-Length and Transfer-Encoding", Post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "differing duplicate Content-Length", Post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), Bad, "Bad Request" },
        { "differing Content-Length list", Post("Content-Length: 5, 6\r\n", "hello!"), Bad, "Bad Request" },
        { "non-numeric Content-Length", Post("Content-Length: +5\r\n", "hello"), Bad, "Bad Request" },
        { "Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Bad, "Bad Request" },
        { "chunked twice", Post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), Bad, "Bad Request" },

        // RFC 9112 §6.3: chunked not the final coding is 400 (MUST), even when the other coding is one we do not know.
        { "chunked before identity", Post("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n"), Bad, "Bad Request" },
        { "chunked before gzip", Post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), Bad, "Bad Request" },
        { "chunked, then gzip in a second field", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", "0\r\n\r\n"), Bad, "Bad Request" },
        { "chunked in two fields", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), Bad, "Bad Request" },
        { "chunked twice around gzip", Post("Transfer-Encoding: chunked, gzip, chunked\r\n", "0\r\n\r\n"), Bad, "Bad Request" },
        { "a coding without chunked", Post("Transfer-Encoding: gzip\r\n", ""), Bad, "Bad Request" },
        { "an empty coding list", Post("Transfer-Encoding: ,\r\n", ""), Bad, "Bad Request" },

        // Chunk framing: surfaces when the handler reads the body.
        { "chunk size not hex", Post("Transfer-Encoding: chunked\r\n", "zz\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk size overflow", Post("Transfer-Encoding: chunked\r\n", "fffffffffffffffff\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk size with junk", Post("Transfer-Encoding: chunked\r\n", "5 x\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk data without CRLF", Post("Transfer-Encoding: chunked\r\n", "5\r\nhelloXX0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk size line ends in bare LF", Post("Transfer-Encoding: chunked\r\n", "5\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk size with trailing space", Post("Transfer-Encoding: chunked\r\n", "5 \r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk size with trailing tab", Post("Transfer-Encoding: chunked\r\n", "5\t\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "last chunk with trailing space", Post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0 \r\n\r\n"), Bad, "Bad Request" },
        { "chunk extension with trailing space", Post("Transfer-Encoding: chunked\r\n", "5;a=b \r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk extension without a name", Post("Transfer-Encoding: chunked\r\n", "5;\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk extension name not a token", Post("Transfer-Encoding: chunked\r\n", "5;a b\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk extension without a value after =", Post("Transfer-Encoding: chunked\r\n", "5;a=\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk extension with an open quote", Post("Transfer-Encoding: chunked\r\n", "5;a=\"b\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },
        { "chunk extension with a control character", Post("Transfer-Encoding: chunked\r\n", "5;a=\"b\u0001\"\r\nhello\r\n0\r\n\r\n"), Bad, "Bad Request" },

        // Header syntax (RFC 9112 §5).
        { "obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n continued\r\n\r\n", Bad, "Bad Request" },
        { "obs-fold with tab", "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\tcontinued\r\n\r\n", Bad, "Bad Request" },
        { "whitespace before colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A : 1\r\n\r\n", Bad, "Bad Request - Invalid Header" },
        { "header without colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A\r\n\r\n", Bad, "Bad Request - Invalid Header" },
        { "control character in value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n", Bad, "Bad Request" },
        { "DEL in value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u007fb\r\n\r\n", Bad, "Bad Request" },
        { "NUL in value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", Bad, "Bad Request" },
        { "bare CR in header", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", Bad, "Bad Request" },
        { "bare CR in request line", "GET /a\rb HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request" },
        { "bare LF line ends", "GET / HTTP/1.1\nHost: x\n\n", Bad, "Bad Request" },
        { "bare LF after a header", "GET / HTTP/1.1\r\nHost: x\nX-A: 1\r\n\r\n", Bad, "Bad Request" },
        { "no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", Bad, "Bad Request" },
        { "two Host headers", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", Bad, "Bad Request" },

        // Codings, versions, methods, expectations.
        { "unknown coding before chunked", Post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), "HTTP/1.1 501 Not Implemented", "Not Implemented" },
        { "unknown coding in a field before chunked", Post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), "HTTP/1.1 501 Not Implemented", "Not Implemented" },
        { "HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported", "HTTP Version Not Supported" },
        { "HTTP/1.2 request line", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported", "HTTP Version Not Supported" },
        { "HTTP/0.9 style version", "GET / HTTP/0.9\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported", "HTTP Version Not Supported" },
        { "garbage version", "GET / HTXP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request" },
        { "lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request" },
        { "invalid method token", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid Verb" },
        { "method with slash", "GE/T / HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid Verb" },
        { "Expect other than 100-continue", Post("Content-Length: 0\r\nExpect: something-else\r\n", ""), "HTTP/1.1 417 Expectation Failed", "Expectation Failed" },

        // Limits (spec §6.3), with MaxFieldLength lowered to 1024 for this server.
        { "head over MaxRequestBytes", "GET / HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"X-{i}: {new string('a', 1000)}\r\n")) + "\r\n", Bad, "Bad Request - Request Too Long" },
        { "header field over MaxFieldLength", $"GET / HTTP/1.1\r\nHost: x\r\nX-A: {new string('a', 1100)}\r\n\r\n", Bad, "Bad Request - Header Field Too Long" },
        { "URL over MaxFieldLength", $"GET /{new string('a', 1100)} HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 414 Request URL Too Long", "Request URL Too Long" },
        { "261-character segment", $"GET /{new string('s', 261)} HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid URL" },
        { "256 segments", $"GET {string.Concat(Enumerable.Repeat("/a", 256))} HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid URL" },

        // URL syntax (spec §1.4).
        { "malformed escape %zz", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid URL" },
        { "truncated escape", "GET /a%4 HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid URL" },
        { "lone percent", "GET /a% HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid URL" },
        { "escape of a control character", "GET /a%01 HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid URL" },
        { "invalid UTF-8 escape", "GET /%F0%8F%8F%BF HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid URL" },
        { "relative target", "GET a/b HTTP/1.1\r\nHost: x\r\n\r\n", Bad, "Bad Request - Invalid URL" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rejected_with_exact_answer_then_closed_and_next_connection_served(string name, string request, string statusLine, string heading)
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, configureServer: o => o with { Limits = Limits });
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync(request);
            var response = await client.ReadResponseAsync();
            Assert.True(statusLine == response.StatusLine, $"{name}: expected '{statusLine}', got '{response.StatusLine}'");
            Assert.Equal(heading, response.Heading);
            Assert.Equal("close", response.Header("Connection"));
            Assert.Equal("text/html; charset=us-ascii", response.Header("Content-Type"));
            Assert.Equal("HttpSysPS", response.Header("Server"));
            Assert.Contains($"HTTP Error {response.StatusCode}.", response.BodyText);

            // The server closes its side after the error page: nothing more arrives.
            Assert.Empty(await client.ReadToEndAsync());
            Assert.True(client.Closed);
        }

        var next = await server.ProbeAsync();
        Assert.Equal("HTTP/1.1 200 OK", next.StatusLine);
        Assert.Equal("GET /probe|", next.BodyText);
    }

    [Fact]
    public async Task Error_page_has_no_Server_header_when_it_is_turned_off()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, configureServer: o => o with { ServerHeader = null });
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync("GET / HTTP/1.1\r\n\r\n");
        Assert.Equal(Bad, response.StatusLine);
        Assert.Null(response.Header("Server"));

        // The generic 400 page is byte-for-byte HTTP.sys's length (spec §6.1).
        Assert.Equal(311, response.Body.Length);
    }

    [Fact]
    public async Task Bare_CR_split_across_two_writes_is_still_rejected()
    {
        // Whether the server reads the two pieces together or apart, the CR not followed by LF must be refused.
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r");
        await client.SendAsync("b\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(Bad, response.StatusLine);
        Assert.Equal("Bad Request", response.Heading);
        Assert.Empty(await client.ReadToEndAsync());
    }

    private static string Post(string headers, string body) => $"POST / HTTP/1.1\r\nHost: x\r\n{headers}\r\n{body}";
}
