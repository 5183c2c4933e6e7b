using Narada.Gearman.Transport;

namespace Narada.Gearman.Client;

/// <summary>A job as a server knows it: the server that holds it and the handle that server gave it.</summary>
public readonly record struct JobHandle(ServerAddress Server, string Handle)
{
    public override string ToString() => $"{Handle}@{Server}";
}
