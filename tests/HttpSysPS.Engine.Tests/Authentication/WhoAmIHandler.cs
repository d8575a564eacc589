using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>
/// A handler <c>httpsys serve --handler</c> loads from this test assembly in the tests that need the server in its own
/// process (PAM through an LD_PRELOADed pam_wrapper, gss-ntlmssp's environment): it answers who the request is.
/// </summary>
public sealed class WhoAmIHandler : IRequestHandler
{
    public async ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken) =>
        await context.Response.WriteAsync(AuthenticationTestServer.Describe(context.Request.User), cancellationToken);
}
