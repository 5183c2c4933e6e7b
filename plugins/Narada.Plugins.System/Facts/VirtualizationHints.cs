namespace Narada.Plugins.System.Facts;

/// <summary>Cheap signs of where the host runs: a hypervisor CPU flag, the DMI vendor and product, a container marker.</summary>
/// <param name="Hypervisor">The CPU reports the <c>hypervisor</c> flag (x86 guests).</param>
/// <param name="Vendor">DMI sys_vendor, e.g. <c>QEMU</c>, <c>Amazon EC2</c>; null when there is no DMI.</param>
/// <param name="Product">DMI product_name, e.g. <c>Standard PC (Q35 + ICH9, 2009)</c>.</param>
/// <param name="Container">docker, podman, kubernetes, lxc or systemd's container name; null when none is seen.</param>
public sealed record VirtualizationHints(bool Hypervisor, string? Vendor, string? Product, string? Container);
