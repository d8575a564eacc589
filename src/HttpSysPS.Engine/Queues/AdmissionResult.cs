namespace HttpSysPS.Engine.Queues;

/// <summary>What <see cref="RequestQueue.TryAdmit"/> decided.</summary>
internal enum AdmissionResult
{
    /// <summary>A handler slot was free: run now.</summary>
    Admitted,

    /// <summary>Waiting in the queue; await the returned task.</summary>
    Queued,

    /// <summary>The queue is full: answer 503 (QueueFull).</summary>
    Rejected,
}
