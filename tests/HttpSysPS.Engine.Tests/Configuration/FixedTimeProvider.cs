namespace HttpSysPS.Engine.Tests.Configuration;

/// <summary>A clock that says what the test wants: certificate expiry is judged without waiting.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
