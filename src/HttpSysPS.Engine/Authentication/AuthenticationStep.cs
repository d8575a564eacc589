using System.Buffers;
using System.Security.Claims;
using System.Text;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// The server's authentication of one request, between routing and the request queue (HTTP.sys runs it in the driver):
/// reads <c>Authorization</c>, runs a leg of the connection's handshake or checks a Basic password, and decides whether
/// the handler runs and as whom. Intermediate legs, failures and (with AllowAnonymous off) anonymous requests are
/// answered here and never reach the queue. Stateless: the connection's state is passed in.
/// </summary>
internal static class AuthenticationStep
{
    public static ValueTask<AuthenticationOutcome> RunAsync(UrlGroup group, Request request, ConnectionAuthentication state, bool secure, CancellationToken cancellationToken)
    {
        var options = group.Options.Authentication;
        state.Enter(group);
        var headers = request.Headers;
        var count = headers.CountOf("Authorization");
        if (count == 0 && state.ConnectionUser is { } connectionUser)
        {
            // A completed NTLM logon (or Kerberos with credential caching) holds for the connection: nothing to do.
            state.EndPending();
            return new(AuthenticationOutcome.Handler(connectionUser, null));
        }

        var effective = AuthenticationChallenges.Effective(options, secure);
        var challenges = state.Challenges(effective, options.Realm ?? AuthenticationChallenges.DefaultRealm(request.Host));
        if (count == 0)
        {
            // A client that stops mid-handshake abandons it.
            state.EndPending();
            return new(Anonymous(options, challenges, null));
        }

        if (count > 1)
        {
            state.EndPending();
            return new(AuthenticationOutcome.BadRequest(AuthenticationOutcome.Malformed));
        }

        var kind = AuthorizationHeader.Parse(headers.Get("Authorization")!, options.Schemes, out var scheme, out var token);
        if (kind == AuthorizationKind.Malformed)
        {
            state.EndPending();
            return new(AuthenticationOutcome.BadRequest(AuthenticationOutcome.Malformed));
        }

        if (kind == AuthorizationKind.OtherScheme)
        {
            // HTTP.sys passes schemes it does not run to the application untouched.
            state.EndPending();
            return new(Anonymous(options, challenges, state.ConnectionUser));
        }

        // New credentials replace whatever logon the connection held.
        state.ConnectionUser = null;
        if ((effective & scheme) == 0)
        {
            // Basic on plain HTTP without AllowBasicOverHttp: not checked, so a password sent in clear is never used.
            state.EndPending();
            return new(AuthenticationOutcome.Unauthorized(challenges, AuthenticationOutcome.BasicOverHttp));
        }

        var authenticator = options.Authenticator ?? PlatformAuthenticator.Instance;
        return scheme == AuthenticationSchemes.Basic
            ? CheckBasicAsync(authenticator, options, token, state, challenges, cancellationToken)
            : new(Step(authenticator, options, scheme, token, state, challenges));
    }

    private static AuthenticationOutcome Anonymous(AuthenticationOptions options, string[] challenges, ClaimsPrincipal? connectionUser)
    {
        if (connectionUser is not null)
        {
            return AuthenticationOutcome.Handler(connectionUser, null);
        }

        // ASP.NET HttpSys: AllowAnonymous off answers 401 with the challenges before the application; on, the
        // application runs and any 401 it answers gets the challenges appended.
        return options.AllowAnonymous
            ? AuthenticationOutcome.Handler(null, new ResponseChallenges(challenges, null))
            : AuthenticationOutcome.Unauthorized(challenges, null);
    }

    private static AuthenticationOutcome Step(IAuthenticator authenticator, AuthenticationOptions options, AuthenticationSchemes scheme, byte[] token,
        ConnectionAuthentication state, string[] challenges)
    {
        var context = state.PendingScheme == scheme ? state.Pending : null;
        if (context is null)
        {
            state.EndPending();
            if (!state.TryCountHandshake(options.MaxHandshakesPerConnection))
            {
                return AuthenticationOutcome.BadRequest(AuthenticationOutcome.HandshakeLimit);
            }

            try
            {
                context = authenticator.CreateContext(scheme, options);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return AuthenticationOutcome.Unavailable();
            }

            state.BeginPending(context, scheme);
        }

        HandshakeStatus status;
        byte[]? outgoing;
        try
        {
            status = context.Step(token, out outgoing);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A mechanism that throws on a hostile token is a failed logon, never a 500.
            status = HandshakeStatus.Failed;
            outgoing = null;
        }

        var name = AuthorizationHeader.NameOf(scheme);
        switch (status)
        {
            case HandshakeStatus.ContinueNeeded:
                return AuthenticationOutcome.Continue(outgoing is { Length: > 0 } ? $"{name} {Convert.ToBase64String(outgoing)}" : name);

            case HandshakeStatus.Completed when context.Identity is { } identity:
                var package = context.Package;
                var user = AuthenticatedUser.Create(identity, scheme, package);
                state.EndPending();
                state.RefundHandshake();
                if (HoldsForConnection(options, scheme, package))
                {
                    state.ConnectionUser = user;
                }

                var final = outgoing is { Length: > 0 } ? $"{name} {Convert.ToBase64String(outgoing)}" : null;
                return AuthenticationOutcome.Handler(user, new ResponseChallenges(challenges, final));

            case HandshakeStatus.InternalError:
                state.EndPending();
                return AuthenticationOutcome.Unavailable();

            default:
                state.EndPending();
                return AuthenticationOutcome.Unauthorized(challenges, AuthenticationOutcome.LogonFailed);
        }
    }

    /// <summary>NTLM logons hold for the connection unless caching is disabled; Kerberos ones only when enabled (HTTP.sys).</summary>
    private static bool HoldsForConnection(AuthenticationOptions options, AuthenticationSchemes scheme, string? package) =>
        string.Equals(package ?? (scheme == AuthenticationSchemes.NTLM ? "NTLM" : "Kerberos"), "NTLM", StringComparison.OrdinalIgnoreCase)
            ? !options.DisableNtlmCredentialCaching
            : options.EnableKerberosCredentialCaching;

    private static async ValueTask<AuthenticationOutcome> CheckBasicAsync(IAuthenticator authenticator, AuthenticationOptions options, byte[] token,
        ConnectionAuthentication state, string[] challenges, CancellationToken cancellationToken)
    {
        state.EndPending();
        if (!state.TryCountHandshake(options.MaxHandshakesPerConnection))
        {
            Array.Clear(token);
            return AuthenticationOutcome.BadRequest(AuthenticationOutcome.HandshakeLimit);
        }

        // RFC 7617: user-id ":" password, UTF-8 (we announce charset="UTF-8"). The password lives only in a pooled
        // buffer that is cleared before it goes back, and in the token bytes, cleared too.
        var chars = ArrayPool<char>.Shared.Rent(token.Length);
        try
        {
            int length;
            try
            {
                length = new UTF8Encoding(false, true).GetChars(token, chars);
            }
            catch (DecoderFallbackException)
            {
                return AuthenticationOutcome.BadRequest(AuthenticationOutcome.Malformed);
            }
            finally
            {
                Array.Clear(token);
            }

            var colon = Array.IndexOf(chars, ':', 0, length);
            if (colon <= 0)
            {
                return AuthenticationOutcome.BadRequest(AuthenticationOutcome.Malformed);
            }

            var userName = new string(chars, 0, colon);
            ClaimsIdentity? identity;
            try
            {
                identity = await authenticator.CheckPasswordAsync(userName, chars.AsMemory(colon + 1, length - colon - 1), options, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return AuthenticationOutcome.Unavailable();
            }

            if (identity is null)
            {
                return AuthenticationOutcome.Unauthorized(challenges, AuthenticationOutcome.LogonFailed);
            }

            state.RefundHandshake();
            return AuthenticationOutcome.Handler(AuthenticatedUser.Create(identity, AuthenticationSchemes.Basic, null), new ResponseChallenges(challenges, null));
        }
        finally
        {
            Array.Clear(chars);
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
