using System.Globalization;
using Narada.Gearman.Protocol;

namespace Narada.JobServer.Engine;

internal sealed partial class JobEngine
{
    /// <summary>Handles one request packet from a binary session.</summary>
    public void Handle(Peer peer, in Packet packet)
    {
        lock (_gate)
        {
            if (peer.Closed)
                return;
            switch (packet.Type)
            {
                case PacketType.SubmitJob:
                case PacketType.SubmitJobBg:
                case PacketType.SubmitJobHigh:
                case PacketType.SubmitJobHighBg:
                case PacketType.SubmitJobLow:
                case PacketType.SubmitJobLowBg:
                case PacketType.SubmitJobEpoch:
                case PacketType.SubmitJobSched:
                case PacketType.SubmitReduceJob:
                case PacketType.SubmitReduceJobBackground:
                    Submit(peer, packet);
                    break;
                case PacketType.GrabJob:
                case PacketType.GrabJobUniq:
                case PacketType.GrabJobAll:
                    Grab(peer, packet.Type);
                    break;
                case PacketType.PreSleep:
                    Sleep(peer);
                    break;
                case PacketType.WorkStatus:
                case PacketType.WorkData:
                case PacketType.WorkWarning:
                case PacketType.WorkComplete:
                case PacketType.WorkFail:
                case PacketType.WorkException:
                    Work(peer, packet);
                    break;
                case PacketType.CanDo:
                    CanDo(peer, WireText.Decode(packet.Argument(0).Span), 0);
                    break;
                case PacketType.CanDoTimeout:
                    int.TryParse(packet.Argument(1).Span, NumberStyles.None, CultureInfo.InvariantCulture, out int ms);
                    CanDo(peer, WireText.Decode(packet.Argument(0).Span), ms <= 0 ? 0 : Math.Max(ms, 1000));
                    break;
                case PacketType.CantDo:
                    CantDo(peer, WireText.Decode(packet.Argument(0).Span));
                    break;
                case PacketType.ResetAbilities:
                    Wake(peer, false);
                    foreach (var ability in peer.Abilities)
                        ability.Function.WorkerCount--;
                    peer.Abilities.Clear();
                    break;
                case PacketType.GetStatus:
                    GetStatus(peer, packet);
                    break;
                case PacketType.GetStatusUnique:
                    GetStatusUnique(peer, packet);
                    break;
                case PacketType.EchoReq:
                    peer.Outbox.Send(PacketType.EchoRes, packet.Payload);
                    break;
                case PacketType.SetClientId:
                    var id = packet.Argument(0).Span;
                    peer.ClientId = WireText.Decode(id[..Math.Min(id.Length, 127)]);
                    break;
                case PacketType.OptionReq:
                    Option(peer, packet.Argument(0));
                    break;
                default:
                    // ALL_YOURS and anything else a client may send that gearmand refuses.
                    SendError(peer, ErrorCodes.InvalidCommand, "Command not expected");
                    break;
            }
        }
    }

    private void CanDo(Peer peer, string name, int timeoutMs)
    {
        var function = Function(name);
        int index = peer.AbilityIndex(function);
        if (index >= 0)
        {
            peer.Abilities[index] = new Ability(function, timeoutMs);
            return;
        }
        peer.Abilities.Add(new Ability(function, timeoutMs));
        function.WorkerCount++;
    }

    private static void CantDo(Peer peer, string name)
    {
        int index = peer.Abilities.FindIndex(a => a.Function.Name == name);
        if (index < 0)
            return;
        Wake(peer, false);
        peer.Abilities[index].Function.WorkerCount--;
        peer.Abilities.RemoveAt(index);
        peer.NextAbility = 0;
    }

    private static void Option(Peer peer, ReadOnlyMemory<byte> name)
    {
        if (name.Span.SequenceEqual("exceptions"u8))
        {
            peer.WantsExceptions = true;
            peer.Outbox.Send(PacketType.OptionRes, name);
            return;
        }
        SendError(peer, ErrorCodes.UnknownOption, "Server does not recognize given option");
    }
}
