namespace HttpSysPS.Host.Dsc;

/// <summary>
/// Instance JSON that is not what the resource's schema allows: not JSON, not an object, an unknown property, a value
/// of the wrong type, a missing key. Exit code 2, like a usage error, and the store is not touched.
/// </summary>
internal sealed class DscInputException(string message) : Exception(message);
