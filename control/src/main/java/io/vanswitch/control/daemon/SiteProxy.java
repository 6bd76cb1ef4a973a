package io.vanswitch.control.daemon;

import io.vanswitch.control.config.ProxyPeerSpec;
import io.vanswitch.control.config.ProxySpec;
import io.vanswitch.control.federation.FederationConfigException;
import io.vanswitch.control.federation.PeerStatus;
import io.vanswitch.control.federation.PemCredentials;
import io.vanswitch.control.federation.ProxySessions;
import io.vanswitch.control.federation.SessionEvent;
import io.vanswitch.control.federation.TlsContexts;
import io.vanswitch.control.overlay.SignalCodec;
import io.vanswitch.dataplane.dpdk.PortDevice;
import io.vanswitch.dataplane.federation.FederationBinding;
import io.vanswitch.dataplane.federation.FrameOpener;
import io.vanswitch.dataplane.federation.SealKey;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.pmd.PmdCounters;
import io.vanswitch.dataplane.pmd.PmdProxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This switch as its site's proxy (paper IV-A; docs/federation.md), on the control thread: the
 * public DPDK port and the kernel interface behind it (which carries the TLS sessions, ARP and
 * ping), the TLS 1.3 sessions to the peer proxies, and the data keys agreed over them. Each side
 * makes its own key for what it sends, gives it to the peer over the session (KEY), and seals with
 * it only once the peer has confirmed it opens with it (KEY_ACK); keys are rotated the same way, and
 * the opener keeps the previous key for frames in flight. Signals of mapped VANs cross inside the
 * sessions (SIGNAL), tenant frames sealed on the public port.
 */
final class SiteProxy implements AutoCloseable
{
    static final int MSG_KEY = 16;
    static final int MSG_KEY_ACK = 17;
    static final int MSG_SIGNAL = 18;
    /** The kernel interface behind the public port (one proxy per switch, one switch per network namespace). */
    static final String KERNEL_INTERFACE = "vsproxy0";
    static final long DEFAULT_REKEY_INTERVAL_MS = 60_000;
    private static final long NEIGHBOR_INTERVAL_MS = 200;
    /** A KEY the peer has not confirmed within this is replaced by a new one (the session is up: it should have). */
    private static final long KEY_ACK_TIMEOUT_MS = 5_000;

    private final ProxySpec spec;
    private final List<PmdProxy> pmds;
    private final PemCredentials credentials;
    private final PortDevice publicPort;
    private final PortDevice puntPort;
    private final long publicMac;
    private final int publicGeneration;
    private final int puntGeneration;
    private final ProxySessions sessions;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, PeerLink> peers = new LinkedHashMap<>();
    private final BitSet usedNumbers = new BitSet(PmdCounters.MAX_LINKS);
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private long rekeyIntervalMs = DEFAULT_REKEY_INTERVAL_MS;
    private long nextNeighborMs;
    private EdgeBridge bridge;

    /** One peer proxy: its configuration, its session's state and the keys of the link. */
    private static final class PeerLink
    {
        final ProxyPeerSpec spec;
        final int number;
        boolean up;
        boolean announced;
        SealKey pendingTx;
        SealKey tx;
        SealKey rx;
        long nextRekeyMs;
        long pendingSinceMs;
        long rotations;
        long nextHopMac = MacAddress.NONE;
        String lastDown;
        boolean identityRefused;

        PeerLink(final ProxyPeerSpec spec, final int number)
        {
            this.spec = spec;
            this.number = number;
        }
    }

    /**
     * Opens the public port and its kernel interface and starts listening for peer proxies.
     *
     * @throws IllegalArgumentException with one line saying what is wrong (files, device, address).
     */
    SiteProxy(
        final ProxySpec spec, final PemCredentials credentials, final PortDriver portDriver, final List<PmdProxy> pmds,
        final int firstGeneration)
    {
        this.spec = spec;
        this.pmds = pmds;
        this.credentials = credentials;
        publicPort = portDriver.openUnderlay(spec.publicDevargs(), pmds.size());
        publicMac = publicPort.macAddress();
        final int mtuResult = publicPort.setMtu(spec.mtu());
        if (mtuResult != 0)
        {
            System.out.println("vanswitch: public device " + spec.deviceName() + " keeps its own MTU (" +
                io.vanswitch.dataplane.dpdk.Eal.strerror(mtuResult) + "): make it at least " + spec.mtu() + " on the device itself");
        }
        PortDevice punt = null;
        try
        {
            punt = portDriver.openUnderlay("net_tap_" + KERNEL_INTERFACE + ",iface=" + KERNEL_INTERFACE + ",mac=" +
                MacAddress.format(publicMac), pmds.size());
            configureKernelInterface();
        }
        catch (final RuntimeException ex)
        {
            if (null != punt)
            {
                punt.close();
            }
            publicPort.close();
            throw ex;
        }
        puntPort = punt;
        publicGeneration = firstGeneration;
        puntGeneration = firstGeneration + 1;
        final InetAddress publicAddress = inet(spec.publicIp());
        sessions = new ProxySessions(TlsContexts.create(credentials), new InetSocketAddress(publicAddress, spec.port()), publicAddress);
        sessions.start();
    }

    /**
     * Reads and checks the proxy's PEM files (before anything is torn down for a new configuration).
     *
     * @throws IllegalArgumentException with one line naming the file and what is wrong.
     */
    static PemCredentials loadCredentials(final ProxySpec spec)
    {
        try
        {
            return PemCredentials.load(Path.of(spec.cert()), Path.of(spec.key()), Path.of(spec.ca()));
        }
        catch (final FederationConfigException ex)
        {
            throw new IllegalArgumentException(ex.getMessage());
        }
    }

    ProxySpec spec()
    {
        return spec;
    }

    void rekeyIntervalMs(final long intervalMs)
    {
        this.rekeyIntervalMs = intervalMs;
    }

    /** The edge bridge the links live in (a new one whenever the underlay is set). */
    void bridge(final EdgeBridge bridge)
    {
        this.bridge = bridge;
        bridge.linkSender((link, signal) -> sessions.send(link, MSG_SIGNAL, signal));
        peers.values().forEach(peer -> peer.announced = false);
    }

    FederationBinding binding()
    {
        final PortBinding publicBinding = new PortBinding(
            PmdCounters.PUBLIC_SLOT, publicGeneration, "public", publicPort.portId(), 0, MacAddress.NONE, 0, 0, publicPort.rxQueues());
        final PortBinding puntBinding = new PortBinding(
            PmdCounters.PUNT_SLOT, puntGeneration, KERNEL_INTERFACE, puntPort.portId(), 0, MacAddress.NONE, 0, 0, puntPort.rxQueues());
        // the public IP MTU less IPv4, UDP, the sealed header and tag and the VAN header (1500: 1432)
        return new FederationBinding(publicBinding, puntBinding, publicMac, spec.publicIp(), spec.port(), spec.maxInnerFrame());
    }

    // ---- peers ----

    /** Adds the peers not yet known, drops those no longer configured; returns each peer's link number. */
    Map<String, Integer> setPeers(final List<ProxyPeerSpec> wanted)
    {
        final Map<String, ProxyPeerSpec> byName = new LinkedHashMap<>();
        wanted.forEach(peer -> byName.put(peer.name(), peer));
        for (final PeerLink peer : new ArrayList<>(peers.values()))
        {
            if (!peer.spec.equals(byName.get(peer.spec.name())))
            {
                sessions.removePeer(peer.spec.name());
                pmds.forEach(pmd -> pmd.clearLink(peer.number, true));
                usedNumbers.clear(peer.number);
                peers.remove(peer.spec.name());
                if (null != bridge)
                {
                    bridge.removeLink(peer.spec.name());
                }
            }
        }
        for (final ProxyPeerSpec peer : wanted)
        {
            if (!peers.containsKey(peer.name()))
            {
                final int number = usedNumbers.nextClearBit(0);
                if (number >= PmdCounters.MAX_LINKS)
                {
                    throw new IllegalArgumentException("cannot add peer proxy " + peer.name() + ": at most " + PmdCounters.MAX_LINKS);
                }
                usedNumbers.set(number);
                peers.put(peer.name(), new PeerLink(peer, number));
                pmds.forEach(pmd -> pmd.clearLink(number, true));
                addRoute(peer.ip());
                sessions.addPeer(peer.name(), new InetSocketAddress(inet(peer.ip()), peer.port()));
            }
        }
        final Map<String, Integer> numbers = new LinkedHashMap<>();
        peers.forEach((name, peer) -> numbers.put(name, peer.number));
        return numbers;
    }

    // ---- the duty cycle ----

    int tick(final long nowMs)
    {
        int work = sessions.poll(event -> onEvent(event, nowMs));
        if (nowMs >= nextNeighborMs)
        {
            nextNeighborMs = nowMs + NEIGHBOR_INTERVAL_MS;
            final Map<Integer, Long> arp = readKernelNeighbors();
            for (final PeerLink peer : peers.values())
            {
                final Long mac = arp.get(nextHop(peer.spec.ip()));
                peer.nextHopMac = null == mac ? MacAddress.NONE : mac;
            }
        }
        for (final PeerLink peer : peers.values())
        {
            if (!peer.up)
            {
                continue;
            }
            final boolean unanswered = null != peer.pendingTx && nowMs - peer.pendingSinceMs > KEY_ACK_TIMEOUT_MS;
            if (unanswered || (null == peer.pendingTx && (null == peer.tx || nowMs >= peer.nextRekeyMs)))
            {
                // rotation due, the first key of the session could not be queued, or a KEY went unanswered
                if (unanswered)
                {
                    count("key_ack_timeout");
                }
                offerKey(peer, nowMs);
                work++;
            }
            final boolean ready = null != peer.tx && peer.nextHopMac != MacAddress.NONE && null != bridge;
            if (ready && !peer.announced)
            {
                bridge.linkUp(peer.spec.name(), template(peer));
                peer.announced = true;
                work++;
            }
        }
        return work;
    }

    private void onEvent(final SessionEvent event, final long nowMs)
    {
        switch (event)
        {
            case SessionEvent.Up up ->
            {
                final PeerLink peer = peers.get(up.peer());
                if (null == peer)
                {
                    return;
                }
                if (!isNamed(up.subject(), up.peer()))
                {
                    // any proxy with a certificate from the CA gets through TLS; only the named one is this peer
                    peer.up = false;
                    peer.identityRefused = true;
                    peer.lastDown = "its certificate (" + up.subject() + ") does not name it: the CN must be " + up.peer();
                    count("peer_identity_refused");
                    System.out.println("vanswitch: peer proxy " + up.peer() + " refused: " + peer.lastDown);
                    return;
                }
                peer.identityRefused = false;
                peer.up = true;
                peer.announced = false;
                System.out.println("vanswitch: peer proxy " + up.peer() + " up (" + up.subject() + ", " + up.cipherSuite() +
                    (up.peerRestarted() ? ", it restarted" : "") + ")");
                offerKey(peer, nowMs);
            }
            case SessionEvent.Down down ->
            {
                final PeerLink peer = peers.get(down.peer());
                if (null == peer)
                {
                    return;
                }
                peer.up = false;
                peer.announced = false;
                peer.pendingTx = null;
                peer.tx = null;
                peer.rx = null;
                peer.lastDown = down.reason();
                pmds.forEach(pmd -> pmd.clearLink(peer.number, false));
                if (null != bridge)
                {
                    bridge.linkDown(down.peer(), down.reason());
                }
            }
            case SessionEvent.Message message -> onMessage(message, nowMs);
            case SessionEvent.Refused refused ->
            {
                count("sessions_refused");
                System.out.println("vanswitch: refused a peer proxy session from " + refused.remote() + ": " + refused.reason());
            }
        }
    }

    private void onMessage(final SessionEvent.Message message, final long nowMs)
    {
        final PeerLink peer = peers.get(message.peer());
        if (null == peer || !peer.up)
        {
            count("message_from_refused_session");
            return;
        }
        switch (message.type())
        {
            case MSG_KEY ->
            {
                final SealKey key;
                try
                {
                    key = SealKey.decode(message.body());
                }
                catch (final IllegalArgumentException ex)
                {
                    count("key_malformed");
                    return;
                }
                // open with it before confirming: the peer seals with it only after our KEY_ACK
                peer.rx = key;
                pmds.forEach(pmd -> pmd.installLinkRxKey(peer.number, key));
                sessions.send(peer.spec.name(), MSG_KEY_ACK, new byte[] {(byte)key.keyId()});
            }
            case MSG_KEY_ACK ->
            {
                final SealKey pending = peer.pendingTx;
                if (null == pending || message.body().length != 1 || (message.body()[0] & 0xFF) != pending.keyId())
                {
                    count("key_ack_unexpected");
                    return;
                }
                peer.tx = pending;
                peer.pendingTx = null;
                peer.rotations++;
                peer.nextRekeyMs = nowMs + rekeyIntervalMs;
                pmds.forEach(pmd -> pmd.installLinkTxKey(peer.number, pending));
            }
            case MSG_SIGNAL ->
            {
                if (null != bridge)
                {
                    bridge.onLinkSignal(peer.spec.name(), message.body(), nowMs);
                }
            }
            default -> count("message_unknown_type");
        }
    }

    private void offerKey(final PeerLink peer, final long nowMs)
    {
        final int keyId = null == peer.tx ? random.nextInt(256) : (peer.tx.keyId() + 1) & 0xFF;
        final SealKey key = SealKey.generate(keyId, random);
        peer.pendingTx = null;
        if (sessions.send(peer.spec.name(), MSG_KEY, key.encode()))
        {
            peer.pendingTx = key;
            peer.pendingSinceMs = nowMs;
        }
    }

    /** Outer headers to the peer: public MAC to the next hop's, public address to the peer's, the proxy port both ways. */
    private byte[] template(final PeerLink peer)
    {
        final byte[] template = SignalCodec.outerTemplate(publicMac, peer.nextHopMac, spec.publicIp(), peer.spec.ip(), peer.spec.port());
        template[34] = (byte)(spec.port() >>> 8);
        template[35] = (byte)spec.port();
        return template;
    }

    private int nextHop(final int peer)
    {
        return spec.gateway() == Ipv4Address.ANY || Ipv4Address.sameSubnet(peer, spec.publicIp(), spec.prefixLength()) ?
            peer : spec.gateway();
    }

    /**
     * @return true when the certificate subject's common name is the peer's configured name: TLS
     * proves the certificate is from the CA, this that it is the proxy the operator meant.
     */
    static boolean isNamed(final String subject, final String name)
    {
        try
        {
            for (final javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(subject).getRdns())
            {
                if ("CN".equalsIgnoreCase(rdn.getType()) && name.equals(String.valueOf(rdn.getValue())))
                {
                    return true;
                }
            }
            return false;
        }
        catch (final javax.naming.InvalidNameException | RuntimeException ex)
        {
            return false;
        }
    }

    // ---- the kernel interface ----

    private void configureKernelInterface()
    {
        KernelCommand.run("ip", "link", "set", "dev", KERNEL_INTERFACE, "up");
        KernelCommand.run("ip", "addr", "replace", Ipv4Address.format(spec.publicIp()) + "/" + spec.prefixLength(), "dev", KERNEL_INTERFACE);
    }

    private void addRoute(final int peer)
    {
        if (nextHop(peer) != peer)
        {
            KernelCommand.run("ip", "route", "replace", Ipv4Address.format(peer) + "/32", "via", Ipv4Address.format(spec.gateway()),
                "dev", KERNEL_INTERFACE);
        }
    }

    /** The kernel interface's neighbours (it resolves the peers while it carries their sessions). */
    private static Map<Integer, Long> readKernelNeighbors()
    {
        final Map<Integer, Long> neighbors = new LinkedHashMap<>();
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/net/arp")))
            {
                final String[] fields = line.trim().split("\\s+");
                if (fields.length >= 6 && fields[5].equals(KERNEL_INTERFACE) && !fields[2].equals("0x0"))
                {
                    try
                    {
                        neighbors.put(Ipv4Address.parse(fields[0]), MacAddress.parse(fields[3]));
                    }
                    catch (final IllegalArgumentException ignored)
                    {
                        // a header or incomplete line
                    }
                }
            }
        }
        catch (final IOException ignored)
        {
            // no /proc: no neighbours
        }
        return neighbors;
    }

    private static InetAddress inet(final int ip)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {(byte)(ip >>> 24), (byte)(ip >>> 16), (byte)(ip >>> 8), (byte)ip});
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    // ---- what operators see ----

    List<Map<String, String>> rows(final PmdCounterSums sums)
    {
        final List<Map<String, String>> rows = new ArrayList<>();
        final Map<String, String> self = new LinkedHashMap<>();
        self.put("kind", "proxy");
        self.put("name", "-");
        self.put("address", Ipv4Address.format(spec.publicIp()) + "/" + spec.prefixLength() + ":" + spec.port());
        self.put("state", sessions.isListening() ? "listening" : "not listening" +
            (null == sessions.listenError() ? "" : " (" + sessions.listenError() + ")"));
        self.put("subject", credentials.subject());
        self.put("not_after", credentials.notAfter().toString());
        self.put("device", spec.publicDevargs());
        self.put("mac", MacAddress.format(publicMac));
        self.put("mtu", Integer.toString(spec.mtu()));
        self.put("refused", Long.toString(sessions.refusedCount()));
        self.put("last_refusal", null == sessions.lastRefusal() ? "-" : sessions.lastRefusal());
        rows.add(self);
        final Map<String, PeerStatus> status = new LinkedHashMap<>();
        sessions.status().forEach(s -> status.put(s.name(), s));
        for (final PeerLink peer : peers.values())
        {
            final PeerStatus s = status.get(peer.spec.name());
            final Map<String, String> row = new LinkedHashMap<>();
            row.put("kind", "peer");
            row.put("name", peer.spec.name());
            row.put("address", Ipv4Address.format(peer.spec.ip()) + ":" + peer.spec.port());
            row.put("state", peer.identityRefused ? "refused" : null == s ? "-" : s.state().name().toLowerCase(java.util.Locale.ROOT));
            row.put("subject", null == s || null == s.subject() ? "-" : s.subject());
            row.put("not_after", null == s || null == s.notAfter() ? "-" : s.notAfter().toString());
            row.put("dials", null == s ? "-" : s.dials() ? "yes" : "no");
            row.put("sessions", null == s ? "0" : Long.toString(s.sessionsEstablished()));
            row.put("last_error", null == s || null == s.lastError() ? (null == peer.lastDown ? "-" : peer.lastDown) : s.lastError());
            row.put("rtt_us", null == s || s.lastRoundTripMicros() < 0 ? "-" : Long.toString(s.lastRoundTripMicros()));
            row.put("key", null == peer.tx ? "-" : Integer.toString(peer.tx.keyId()));
            row.put("rotations", Long.toString(peer.rotations));
            row.put("next_hop_mac", peer.nextHopMac == MacAddress.NONE ? "-" : MacAddress.format(peer.nextHopMac));
            row.put("routes", null == bridge ? "0" : Integer.toString(bridge.routesViaLink(peer.spec.name())));
            row.put("rx_packets", Long.toString(sums.link(peer.number, PmdCounters.LINK_RX_PACKETS)));
            row.put("rx_bytes", Long.toString(sums.link(peer.number, PmdCounters.LINK_RX_BYTES)));
            row.put("tx_packets", Long.toString(sums.link(peer.number, PmdCounters.LINK_TX_PACKETS)));
            row.put("tx_bytes", Long.toString(sums.link(peer.number, PmdCounters.LINK_TX_BYTES)));
            row.put("drop_unmapped_van", Long.toString(sums.link(peer.number, PmdCounters.LINK_DROP_UNMAPPED_VAN)));
            row.put("drop_no_key", Long.toString(sums.link(peer.number, PmdCounters.LINK_DROP_NO_KEY)));
            row.put("drop_oversize", Long.toString(sums.link(peer.number, PmdCounters.LINK_DROP_OVERSIZE)));
            row.put("drop_signal_on_data", Long.toString(sums.link(peer.number, PmdCounters.LINK_DROP_NOT_FRAME)));
            for (int code = -1; code >= -FrameOpener.REASONS; code--)
            {
                row.put("drop_" + FrameOpener.reasonName(code), Long.toString(sums.link(peer.number, PmdCounters.LINK_OPEN_FAILED_BASE - code)));
            }
            row.put("messages_dropped", null == s ? "0" : Long.toString(s.drops()));
            rows.add(row);
        }
        return rows;
    }

    Map<String, Long> counters()
    {
        return counters;
    }

    private void count(final String name)
    {
        counters.merge(name, 1L, Long::sum);
    }

    public void close()
    {
        sessions.close();
        peers.values().forEach(peer -> pmds.forEach(pmd -> pmd.clearLink(peer.number, false)));
    }

    /** After the PMDs stopped using them (the topology without this proxy is installed). */
    void closePorts()
    {
        puntPort.close();
        publicPort.close();
    }
}
