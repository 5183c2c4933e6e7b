using Microsoft.Extensions.Logging;
using Narada.Gearman.Protocol;
using Narada.JobServer.Engine;
using Narada.JobServer.Sessions;
using Prometheus;

namespace Narada.JobServer.Security;

/// <summary>
/// The ACL as one connection meets it: its identity, decisions remembered per function (a worker submits to the same
/// few functions all day), denials answered with ERROR PERMISSION_DENIED, counted, and logged once per connection.
/// </summary>
internal sealed class AclGate
{
    private const int MaxRemembered = 1024;
    private readonly AclSource _source;
    private AclPolicy _policy; // the one _decisions were made under
    private readonly string _remote;
    private readonly ILogger _logger;
    private readonly Counter _denials;
    private readonly Dictionary<(AclAction, string), bool> _decisions = [];
    private bool _logged;

    public AclGate(AclSource source, PeerIdentity identity, string remote, ILogger logger, Counter denials)
    {
        _source = source;
        _policy = source.Policy;
        Identity = identity;
        _remote = remote;
        _logger = logger;
        _denials = denials;
    }

    public PeerIdentity Identity { get; }

    /// <summary>The counter behind <c>narada_jobserver_acl_denials_total{action}</c>, registered in the server's registry.</summary>
    public static Counter CreateDenialCounter(CollectorRegistry registry) =>
        Prometheus.Metrics.WithCustomRegistry(registry).CreateCounter("narada_jobserver_acl_denials_total",
            "Requests refused by the ACL (ERROR PERMISSION_DENIED or ERR PERMISSION_DENIED).",
            new CounterConfiguration { LabelNames = ["action"] });

    public bool Allows(AclAction action, string name, string unique = "")
    {
        if (_source.Policy is var current && !ReferenceEquals(current, _policy))
        {
            // Reloaded: what the old ACL decided no longer holds.
            _policy = current;
            _decisions.Clear();
        }
        bool allowed;
        if (action == AclAction.Submit && _policy.LimitsUniques)
        {
            // Every job has a unique of its own: nothing to remember.
            allowed = _policy.Allows(Identity, action, name, unique);
        }
        else if (!_decisions.TryGetValue((action, name), out allowed))
        {
            allowed = _policy.Allows(Identity, action, name);
            if (_decisions.Count < MaxRemembered)
                _decisions[(action, name)] = allowed;
        }
        if (!allowed)
        {
            _denials.WithLabels(action.ToString().ToLowerInvariant()).Inc();
            if (!_logged)
            {
                _logged = true;
                SecurityLog.Denied(_logger, Identity.ToString(), _remote, action, Described(action, name, unique));
            }
        }
        return allowed;
    }

    // With unique limits, which unique was refused is half the story.
    private string Described(AclAction action, string name, string unique) =>
        action == AclAction.Submit && _policy.LimitsUniques ? $"{name} with unique '{unique}'" : name;

    /// <summary>False (after answering ERROR PERMISSION_DENIED) when the packet registers or submits to a function this
    /// identity may not use; every other packet passes.</summary>
    public bool Admit(in Packet packet, Outbox outbox)
    {
        var action = packet.Type switch
        {
            PacketType.CanDo or PacketType.CanDoTimeout => AclAction.Register,
            PacketType.SubmitJob or PacketType.SubmitJobBg or PacketType.SubmitJobHigh or PacketType.SubmitJobHighBg
                or PacketType.SubmitJobLow or PacketType.SubmitJobLowBg or PacketType.SubmitJobEpoch
                or PacketType.SubmitJobSched or PacketType.SubmitReduceJob or PacketType.SubmitReduceJobBackground => AclAction.Submit,
            _ => (AclAction?)null,
        };
        if (action is not { } checkedAction || packet.ArgumentCount == 0)
            return true;
        var function = WireText.Decode(packet.Argument(0).Span);
        // Every SUBMIT_JOB variant carries the unique key second.
        string unique = checkedAction == AclAction.Submit && packet.ArgumentCount > 1 ? WireText.Decode(packet.Argument(1).Span) : "";
        if (Allows(checkedAction, function, unique))
            return true;
        var verb = checkedAction == AclAction.Register ? "register" : "submit to";
        outbox.Send(PacketType.Error, WireText.Encode(ErrorCodes.PermissionDenied),
            WireText.Encode($"{Identity} may not {verb} {Described(checkedAction, function, unique)}"));
        return false;
    }

    /// <summary>Null when the admin command line is allowed; otherwise the reply to send instead of running it.</summary>
    public string? RefuseAdmin(string line)
    {
        var command = Narada.Gearman.Admin.AdminCommands.NameOf(line);
        if (command.Length == 0 || Allows(AclAction.Admin, command))
            return null;
        return $"ERR PERMISSION_DENIED {Identity}+may+not+run+{command.Replace(' ', '+')}\r\n";
    }
}
