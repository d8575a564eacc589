using System.Security.Claims;
using System.Text;
using HttpSysPS.Engine.Authentication;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>
/// A scripted mechanism standing in for GSSAPI and PAM in the always-on tests. Connection-based tokens (UTF-8 text):
/// <c>hello</c> starts a two-leg handshake answered with <c>challenge-N</c> (N numbers the context), and <c>response-N</c>
/// completes it as <c>alice@TEST</c> over NTLM; <c>kerberos</c> completes in one leg as <c>bob@TEST</c> with the final
/// server token <c>mutual</c>; <c>throw</c> throws, <c>internal</c> reports an internal failure; anything else fails.
/// Basic accepts <c>alice</c> / <c>s3cret</c> (groups staff and admins).
/// </summary>
internal sealed class FakeAuthenticator : IAuthenticator
{
    private int _created;
    private int _disposed;
    private int _passwordChecks;

    public int Created => Volatile.Read(ref _created);

    public int Disposed => Volatile.Read(ref _disposed);

    public int PasswordChecks => Volatile.Read(ref _passwordChecks);

    public ISecurityContext CreateContext(AuthenticationSchemes scheme, AuthenticationOptions options) => new Context(this, Interlocked.Increment(ref _created));

    public ValueTask<ClaimsIdentity?> CheckPasswordAsync(string userName, ReadOnlyMemory<char> password, AuthenticationOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _passwordChecks);
        if (userName == "boom")
        {
            throw new InvalidOperationException("PAM is broken");
        }

        return new(userName == "alice" && password.Span.SequenceEqual("s3cret")
            ? new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice"), new Claim(ClaimTypes.Role, "staff"), new Claim(ClaimTypes.Role, "admins")], "PAM")
            : null);
    }

    public static string Token(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));

    private sealed class Context(FakeAuthenticator owner, int id) : ISecurityContext
    {
        private bool _challenged;

        public ClaimsIdentity? Identity { get; private set; }

        public string? Package { get; private set; }

        public HandshakeStatus Step(ReadOnlySpan<byte> incoming, out byte[]? outgoing)
        {
            outgoing = null;
            var text = Encoding.UTF8.GetString(incoming);
            switch (text)
            {
                case "hello" when !_challenged:
                    _challenged = true;
                    outgoing = Encoding.UTF8.GetBytes($"challenge-{id}");
                    return HandshakeStatus.ContinueNeeded;
                case "kerberos" when !_challenged:
                    Identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "bob@TEST")], "Kerberos");
                    Package = "Kerberos";
                    outgoing = Encoding.UTF8.GetBytes("mutual");
                    return HandshakeStatus.Completed;
                case "throw":
                    throw new InvalidOperationException("mechanism failure");
                case "internal":
                    return HandshakeStatus.InternalError;
            }

            if (_challenged && text == $"response-{id}")
            {
                Identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice@TEST")], "NTLM");
                Package = "NTLM";
                return HandshakeStatus.Completed;
            }

            return HandshakeStatus.Failed;
        }

        public void Dispose() => Interlocked.Increment(ref owner._disposed);
    }
}
