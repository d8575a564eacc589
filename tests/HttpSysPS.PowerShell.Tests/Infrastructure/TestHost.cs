using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>
/// A PowerShell host for tests: it records what the engine writes to the host (the "What if:" lines of -WhatIf go
/// there, not to a stream) and answers confirmation prompts (-Confirm, $ConfirmPreference) from a script of answers.
/// A prompt nobody scripted throws, as a non-interactive host does, so an unexpected prompt fails the command.
/// </summary>
public sealed class TestHost : PSHost
{
    private readonly RecordingUI _ui = new();

    public override string Name => "HttpSysPS.TestHost";

    public override Version Version { get; } = new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    /// <summary>Lines written to the host (WriteLine and friends), in order.</summary>
    public IReadOnlyList<string> Lines => _ui.Lines.ToArray();

    /// <summary>The messages of the confirmation prompts shown so far.</summary>
    public IReadOnlyList<string> Prompts => _ui.Prompts.ToArray();

    /// <summary>Answers the next confirmation prompt with the choice labelled <paramref name="label"/> ("Yes", "No", "Yes to All", ...).</summary>
    public void Answer(string label) => _ui.Answers.Enqueue(label);

    /// <summary>Forgets the recorded lines and prompts.</summary>
    public void Clear()
    {
        _ui.Lines.Clear();
        _ui.Prompts.Clear();
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    public override void EnterNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    private sealed class RecordingUI : PSHostUserInterface
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ConcurrentQueue<string> Prompts { get; } = new();

        public ConcurrentQueue<string> Answers { get; } = new();

        // No console: formatting falls back to its defaults (Out-String -Width sets the width explicitly anyway).
        public override PSHostRawUserInterface RawUI => null!;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Enqueue(message);
            if (!Answers.TryDequeue(out var answer))
            {
                throw new InvalidOperationException($"Unexpected prompt (no answer scripted): {caption}: {message}");
            }

            for (var i = 0; i < choices.Count; i++)
            {
                if (string.Equals(choices[i].Label.Replace("&", string.Empty, StringComparison.Ordinal), answer, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"The prompt '{message}' has no choice '{answer}' (choices: {string.Join(", ", choices.Select(c => c.Label))}).");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException($"Unexpected prompt for values: {caption}: {message}");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException($"Unexpected credential prompt: {caption}: {message}");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException($"Unexpected credential prompt: {caption}: {message}");

        public override string ReadLine() => throw new InvalidOperationException("The test host has no input.");

        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("The test host has no input.");

        public override void Write(string value) => Lines.Enqueue(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Enqueue(value);

        public override void WriteLine(string value) => Lines.Enqueue(value);

        public override void WriteErrorLine(string value) => Lines.Enqueue(value);

        public override void WriteDebugLine(string message) => Lines.Enqueue("DEBUG: " + message);

        public override void WriteVerboseLine(string message) => Lines.Enqueue("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => Lines.Enqueue("WARNING: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }
    }
}
