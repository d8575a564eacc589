namespace HttpSysPS.Engine.Queues;

/// <summary>How a queued request left the queue.</summary>
internal enum QueueExit
{
    /// <summary>It got a handler slot.</summary>
    Dequeued,

    /// <summary>It waited longer than the RequestQueue timer (<c>Timer_AppPool</c>).</summary>
    TimedOut,

    /// <summary>The listener is stopping; it is answered 503 (ASP.NET: requests dequeued while stopping get 503).</summary>
    Stopping,
}
