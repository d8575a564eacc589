using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Tests.Configuration;

public class AccessCheckTests
{
    private static readonly ProcessIdentity Bob = new("bob", ["staff", "web"], isAdministrator: false);
    private static readonly ProcessIdentity Root = new("root", ["root"], isAdministrator: true);

    private static UrlReservation Reserve(string url, string principal, bool listen = true, bool @delegate = false) =>
        UrlReservation.Create(url, [principal], listen, @delegate);

    private static AccessGrant Register(string url, ProcessIdentity who, params UrlReservation[] reservations) =>
        AccessCheck.EvaluateRegister(UrlPrefix.Parse(url), who, reservations);

    [Fact]
    public void RootMayRegisterAnythingWithoutReservations()
    {
        Assert.Equal(AccessGrant.Administrator, Register("http://+:80/", Root));
        Assert.Equal(AccessGrant.Administrator, Register("https://www.contoso.com:443/", Root));
    }

    [Fact]
    public void RootIsNotBlockedByAReservationForSomeoneElse()
    {
        Assert.Equal(AccessGrant.Administrator, Register("http://+:8080/", Root, Reserve("http://+:8080/", "user:alice")));
    }

    [Fact]
    public void NonAdminWithoutReservationIsDenied()
    {
        Assert.Equal(AccessGrant.Denied, Register("http://+:8080/", Bob));
    }

    [Fact]
    public void ReservationGrantingListenToTheUserAllows()
    {
        Assert.Equal(AccessGrant.Reservation, Register("http://+:8080/api/", Bob, Reserve("http://+:8080/api/", "user:bob")));
    }

    [Fact]
    public void ReservationCoversLongerPathsBelowIt()
    {
        Assert.Equal(AccessGrant.Reservation, Register("http://+:8080/api/v1/", Bob, Reserve("http://+:8080/api/", "bob")));
        Assert.Equal(AccessGrant.Denied, Register("http://+:8080/apiv2/", Bob, Reserve("http://+:8080/api/", "bob")));
        Assert.Equal(AccessGrant.Denied, Register("http://+:8080/", Bob, Reserve("http://+:8080/api/", "bob")));
    }

    [Fact]
    public void ReservationWithoutListenDenies()
    {
        Assert.Equal(AccessGrant.Denied, Register("http://+:8080/", Bob, Reserve("http://+:8080/", "user:bob", listen: false, @delegate: true)));
    }

    [Fact]
    public void ReservationForAnotherUserDenies()
    {
        Assert.Equal(AccessGrant.Denied, Register("http://+:8080/", Bob, Reserve("http://+:8080/", "user:alice")));
    }

    [Fact]
    public void GroupMembershipGrants()
    {
        Assert.Equal(AccessGrant.Reservation, Register("http://+:8080/", Bob, Reserve("http://+:8080/", "group:web")));
        Assert.Equal(AccessGrant.Denied, Register("http://+:8080/", Bob, Reserve("http://+:8080/", "group:wheel")));
    }

    [Fact]
    public void EveryoneGrants()
    {
        Assert.Equal(AccessGrant.Reservation, Register("http://+:80/Temporary_Listen_Addresses/x/", Bob, Reserve("http://+:80/Temporary_Listen_Addresses/", "Everyone")));
    }

    [Fact]
    public void UserNamesAreCaseSensitiveOnUnix()
    {
        // Windows account names are case-insensitive; Unix ones are not.
        Assert.Equal(OperatingSystem.IsWindows() ? AccessGrant.Reservation : AccessGrant.Denied, Register("http://+:8080/", Bob, Reserve("http://+:8080/", "user:Bob")));
    }

    [Fact]
    public void LongestReservationInTheBucketDecidesEvenWhenAShorterOneWouldGrant()
    {
        var broad = Reserve("http://+:8080/", "Everyone");
        var narrow = Reserve("http://+:8080/admin/", "user:alice");
        Assert.Equal(AccessGrant.Denied, Register("http://+:8080/admin/x/", Bob, broad, narrow));
        Assert.Equal(AccessGrant.Reservation, Register("http://+:8080/public/", Bob, broad, narrow));
    }

    [Fact]
    public void StrongWildcardReservationDoesNotGrantAnExplicitHost()
    {
        Assert.Equal(AccessGrant.Denied, Register("http://www.contoso.com:8080/", Bob, Reserve("http://+:8080/", "user:bob")));
    }

    [Fact]
    public void ExplicitHostReservationGrantsOnlyThatHost()
    {
        var reservation = Reserve("http://www.contoso.com:8080/", "user:bob");
        Assert.Equal(AccessGrant.Reservation, Register("http://WWW.Contoso.com:8080/", Bob, reservation));
        Assert.Equal(AccessGrant.Denied, Register("http://api.contoso.com:8080/", Bob, reservation));
        Assert.Equal(AccessGrant.Denied, Register("http://+:8080/", Bob, reservation));
    }

    [Fact]
    public void IpBoundReservationGrantsOnlyThatAddress()
    {
        var reservation = Reserve("http://10.0.0.4:8080/", "user:bob");
        Assert.Equal(AccessGrant.Reservation, Register("http://10.0.0.4:8080/", Bob, reservation));
        Assert.Equal(AccessGrant.Denied, Register("http://10.0.0.5:8080/", Bob, reservation));
        Assert.Equal(AccessGrant.Denied, Register("http://*:8080/", Bob, reservation));
    }

    [Fact]
    public void WeakWildcardReservationDoesNotGrantStrongWildcard()
    {
        Assert.Equal(AccessGrant.Denied, Register("http://+:8080/", Bob, Reserve("http://*:8080/", "user:bob")));
        Assert.Equal(AccessGrant.Reservation, Register("http://*:8080/", Bob, Reserve("http://*:8080/", "user:bob")));
    }

    [Fact]
    public void OtherPortOrSchemeIsAnotherNamespace()
    {
        Assert.Equal(AccessGrant.Denied, Register("http://+:8081/", Bob, Reserve("http://+:8080/", "user:bob")));
        Assert.Equal(AccessGrant.Denied, Register("https://+:8080/", Bob, Reserve("http://+:8080/", "user:bob")));
    }

    [Theory]
    [InlineData("http://localhost:8080/", AccessGrant.LocalhostExemption)]
    [InlineData("http://LOCALHOST:1025/app/", AccessGrant.LocalhostExemption)]
    [InlineData("http://localhost:0/", AccessGrant.LocalhostExemption)]
    [InlineData("http://localhost:1024/", AccessGrant.Denied)]
    [InlineData("http://localhost:80/", AccessGrant.Denied)]
    [InlineData("https://localhost:8443/", AccessGrant.Denied)]
    [InlineData("http://127.0.0.1:8080/", AccessGrant.Denied)]
    [InlineData("http://[::1]:8080/", AccessGrant.Denied)]
    [InlineData("http://+:8080/", AccessGrant.Denied)]
    [InlineData("http://*:8080/", AccessGrant.Denied)]
    [InlineData("http://myhost:8080/", AccessGrant.Denied)]
    public void LocalhostAbove1024IsExemptOnlyForLiteralLocalhostOverHttp(string url, AccessGrant expected)
    {
        Assert.Equal(expected, Register(url, Bob));
    }

    [Fact]
    public void AnyReservationOnTheSchemeAndPortRevokesTheLocalhostExemption()
    {
        // HttpSysServer#492: after `netsh http add urlacl url=http://+:19800/ user=X`, localhost:19800 failed for others.
        Assert.Equal(AccessGrant.Denied, Register("http://localhost:19800/", Bob, Reserve("http://+:19800/", "user:alice")));
        Assert.Equal(AccessGrant.Denied, Register("http://localhost:19800/", Bob, Reserve("http://other.example:19800/x/", "user:alice")));
    }

    [Fact]
    public void ReservationOnAnotherPortOrSchemeKeepsTheExemption()
    {
        Assert.Equal(AccessGrant.LocalhostExemption, Register("http://localhost:19800/", Bob, Reserve("http://+:19801/", "user:alice")));
        Assert.Equal(AccessGrant.LocalhostExemption, Register("http://localhost:19800/", Bob, Reserve("https://+:19800/", "user:alice")));
    }

    [Fact]
    public void LocalhostReservationForTheUserGrantsEvenBelow1024()
    {
        Assert.Equal(AccessGrant.Reservation, Register("http://localhost:80/", Bob, Reserve("http://localhost:80/", "user:bob")));
    }

    [Fact]
    public void UnixSocketPrefixesAreNotGovernedByReservations()
    {
        Assert.Equal(AccessGrant.UnixSocket, Register("http://unix:/run/app.sock", Bob));
    }

    [Fact]
    public void DenialMessageGivesBothGrantingCommands()
    {
        var e = Assert.Throws<HttpSysException>(() => AccessCheck.EnsureCanRegister(UrlPrefix.Parse("http://+:8080/api"), Bob, []));
        Assert.Equal(HttpSysErrorReason.AccessDenied, e.Reason);
        Assert.Contains("Add-UrlReservation -Url 'http://+:8080/api/' -User 'bob'", e.Message, StringComparison.Ordinal);
        Assert.Contains("httpsys add urlacl url=http://+:8080/api/ user=bob", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DenialByAnExistingReservationNamesIt()
    {
        var e = Assert.Throws<HttpSysException>(() => AccessCheck.EnsureCanRegister(UrlPrefix.Parse("http://+:8080/api/x/"), Bob, [Reserve("http://+:8080/api/", "user:alice")]));
        Assert.Contains("'http://+:8080/api/' does not grant listen", e.Message, StringComparison.Ordinal);
        Assert.Contains("httpsys add urlacl url=http://+:8080/api/ user=bob", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureCanRegisterReturnsWhenGranted()
    {
        AccessCheck.EnsureCanRegister(UrlPrefix.Parse("http://localhost:8080/"), Bob, []);
        AccessCheck.EnsureCanRegister(UrlPrefix.Parse("http://+:80/"), Root, []);
    }

    [Fact]
    public void ReservingNeedsDelegateOnAStrictParentInTheBucket()
    {
        var parent = Reserve("http://+:8080/apps/", "user:bob", listen: false, @delegate: true);
        Assert.Equal(AccessGrant.Reservation, AccessCheck.EvaluateReserve(UrlPrefix.Parse("http://+:8080/apps/mine/"), Bob, [parent]));
        // Not a strict parent: the same URL, or a different bucket, or a path outside it.
        Assert.Equal(AccessGrant.Denied, AccessCheck.EvaluateReserve(UrlPrefix.Parse("http://+:8080/apps/"), Bob, [parent]));
        Assert.Equal(AccessGrant.Denied, AccessCheck.EvaluateReserve(UrlPrefix.Parse("http://www.contoso.com:8080/apps/mine/"), Bob, [parent]));
        Assert.Equal(AccessGrant.Denied, AccessCheck.EvaluateReserve(UrlPrefix.Parse("http://+:8080/other/"), Bob, [parent]));
    }

    [Fact]
    public void ListenOnTheParentIsNotDelegate()
    {
        var parent = Reserve("http://+:8080/", "user:bob");
        var e = Assert.Throws<HttpSysException>(() => AccessCheck.EnsureCanReserve(UrlPrefix.Parse("http://+:8080/x/"), Bob, [parent]));
        Assert.Equal(HttpSysErrorReason.AccessDenied, e.Reason);
        Assert.Contains("does not grant delegate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RootMayReserveWithoutAParent()
    {
        Assert.Equal(AccessGrant.Administrator, AccessCheck.EvaluateReserve(UrlPrefix.Parse("http://+:80/"), Root, []));
        Assert.Equal(AccessGrant.Denied, AccessCheck.EvaluateReserve(UrlPrefix.Parse("http://+:80/"), Bob, []));
    }
}
