using System.Management.Automation;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// Failures the engine does not type (I/O, rights, state) still get stable ErrorIds and stay non-terminating, so a
/// provisioning script can match <c>$_.FullyQualifiedErrorId</c> and the pipeline goes on (ErrorRecordFactory).
/// </summary>
public sealed class ProvisioningErrorTests : IClassFixture<ProvisioningSession>, IDisposable
{
    private readonly ModuleSession _session;
    private readonly ProvisioningStore _store = new();

    public ProvisioningErrorTests(ProvisioningSession fixture) => _session = fixture.Session;

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData("Add-UrlReservation -Url http://+:8080/ -User svc", "AddUrlReservationCommand")]
    [InlineData("Remove-UrlReservation -Url http://+:8080/", "RemoveUrlReservationCommand")]
    [InlineData("Set-SslBinding -Key 0.0.0.0:8443 -CertificateFile $args[1] -KeyFile $args[2]", "SetSslBindingCommand")]
    [InlineData("Remove-SslBinding -Key 0.0.0.0:8443", "RemoveSslBindingCommand")]
    [InlineData("Set-HttpSysTimeout -IdleConnection 60", "SetHttpSysTimeoutCommand")]
    public void A_store_below_a_file_is_a_non_terminating_IOError(string command, string className)
    {
        var (cert, key) = _store.Certificate(_session);
        var file = _store.Other("not-a-directory");
        File.WriteAllText(file, "keep");

        // The store's directory cannot be created where a file is: IOException from Directory.CreateDirectory.
        var result = _session.Run($"{command} -ConfigPath $args[0]; 'after'", Path.Combine(file, "config.json"), cert, key);

        var error = Assert.Single(result.Errors);
        Assert.Equal($"IOError,HttpSysPS.Cmdlets.{className}", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        Assert.Equal(new object[] { "after" }, result.Output.Select(o => o.BaseObject));
        Assert.Equal("keep", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("Get-UrlReservation", "GetUrlReservationCommand")]
    [InlineData("Get-SslBinding", "GetSslBindingCommand")]
    [InlineData("Get-HttpSysTimeout", "GetHttpSysTimeoutCommand")]
    [InlineData("Add-UrlReservation -Url http://+:8080/ -User svc", "AddUrlReservationCommand")]
    public void A_directory_given_as_the_store_is_AccessDenied(string command, string className)
    {
        var result = _session.Run($"{command} -ConfigPath $args[0]; 'after'", _store.Directory);

        var error = Assert.Single(result.Errors);
        Assert.Equal($"AccessDenied,HttpSysPS.Cmdlets.{className}", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Equal(new object[] { "after" }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void EnableTokenBinding_is_refused_with_InvalidArgument_and_nothing_is_written()
    {
        var (cert, key) = _store.Certificate(_session);

        var result = _session.Run(
            "Set-SslBinding -Key 0.0.0.0:8443 -CertificateFile $args[1] -KeyFile $args[2] -EnableTokenBinding -ConfigPath $args[0]; 'after'; " +
            "@(Get-SslBinding -ConfigPath $args[0]).Count",
            _store.Path,
            cert,
            key);

        var error = Assert.Single(result.Errors);
        Assert.Equal("InvalidArgument,HttpSysPS.Cmdlets.SetSslBindingCommand", error.FullyQualifiedErrorId);
        Assert.Contains("enabletokenbinding is not supported", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(new object[] { "after", 0 }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void A_store_whose_directories_do_not_exist_yet_is_created()
    {
        var nested = Path.Combine(_store.Directory, "a", "b", "config.json");

        var result = _session.Run("Add-UrlReservation -Url http://+:8080/ -User svc -ConfigPath $args[0]", nested);

        Assert.Empty(result.Errors);
        Assert.Contains("http://+:8080/", File.ReadAllText(nested), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[System.IO.IOException]::new('disk full')", "IOError", ErrorCategory.WriteError)]
    [InlineData("[System.IO.FileNotFoundException]::new('gone')", "IOError", ErrorCategory.ObjectNotFound)]
    [InlineData("[System.IO.DirectoryNotFoundException]::new('gone')", "IOError", ErrorCategory.ObjectNotFound)]
    [InlineData("[System.Net.Sockets.SocketException]::new(98)", "IOError", ErrorCategory.WriteError)]
    [InlineData("[System.UnauthorizedAccessException]::new('no')", "AccessDenied", ErrorCategory.PermissionDenied)]
    [InlineData("[System.InvalidOperationException]::new('pool closed')", "InvalidState", ErrorCategory.InvalidOperation)]
    [InlineData("[System.ObjectDisposedException]::new('pool')", "InvalidState", ErrorCategory.InvalidOperation)]
    [InlineData("[System.ArgumentOutOfRangeException]::new('x')", "InvalidArgument", ErrorCategory.InvalidArgument)]
    [InlineData("[System.FormatException]::new('x')", "MalformedPrefix", ErrorCategory.InvalidArgument)]
    public void ErrorRecordFactory_maps_bcl_failures_to_stable_ids(string exception, string errorId, ErrorCategory category)
    {
        var result = _session.Run(Factory + $"$e = {exception}; $r = $factory.GetMethod('Create').Invoke($null, @($e, 'target')); " +
            "$r.FullyQualifiedErrorId; $r.CategoryInfo.Category; $factory.GetMethod('IsMapped').Invoke($null, @(,$e))");

        Assert.Empty(result.Errors);
        Assert.Equal(new object[] { errorId, category, true }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void ErrorRecordFactory_leaves_bugs_unmapped_so_they_surface()
    {
        var result = _session.Run(Factory + "$factory.GetMethod('IsMapped').Invoke($null, @(,[System.NullReferenceException]::new('bug')))");

        Assert.False(result.Single<bool>());
    }

    [Fact]
    public void A_listener_cmdlet_failure_outside_the_engine_is_non_terminating_with_a_stable_id()
    {
        // A Unix socket in a directory that does not exist: the bind fails in the BCL (SocketException), not in the
        // engine's typed errors, and used to end the pipeline with the exception's type name as ErrorId.
        var socket = Path.Combine(_store.Directory, "missing", "s.sock");
        var name = ModuleSession.UniqueName("provsock");

        var result = _session.Run(
            "New-HttpSysListener -Name $args[1] -UrlPrefix \"http://unix:$($args[0]):/\" -ScriptBlock { 'x' } -Start; 'after'; " +
            "@(Get-HttpSysListener -Name $args[1] -ErrorAction Ignore).Count",
            socket, name);

        var error = Assert.Single(result.Errors);
        Assert.Matches(@"^[A-Za-z]+,HttpSysPS\.Cmdlets\.NewHttpSysListenerCommand$", error.FullyQualifiedErrorId);
        Assert.Equal(new object[] { "after", 0 }, result.Output.Select(o => o.BaseObject));
    }

    // ErrorRecordFactory is internal to the module's assembly; reach it through a cmdlet's type, as the module loads it.
    private const string Factory =
        "$factory = (Get-Command Add-UrlReservation).ImplementingType.Assembly.GetType('HttpSysPS.Cmdlets.ErrorRecordFactory', $true); ";
}
