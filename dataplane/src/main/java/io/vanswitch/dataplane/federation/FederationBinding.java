package io.vanswitch.dataplane.federation;

import io.vanswitch.dataplane.pipeline.PortBinding;

/**
 * A site proxy's public side as the packet path knows it: the public (inter-site) port, the kernel
 * interface behind it that carries the proxies' TLS sessions, ARP and ping (the exception path:
 * everything on the public port but sealed data goes there and back), the proxy's public MAC and
 * IPv4 address, and the port sealed data and the sessions use.
 *
 * @param publicPort    binding of the public ethdev (slot PmdCounters.PUBLIC_SLOT).
 * @param puntPort      binding of the kernel interface (slot PmdCounters.PUNT_SLOT), or null.
 * @param mac           the public port's MAC (the kernel interface has the same).
 * @param ip            the public IPv4 address.
 * @param udpPort       the UDP port of sealed data (and the TCP port of the sessions).
 * @param maxInnerFrame the largest tenant frame that fits the public MTU sealed.
 */
public record FederationBinding(PortBinding publicPort, PortBinding puntPort, long mac, int ip, int udpPort, int maxInnerFrame)
{
}
