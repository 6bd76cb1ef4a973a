package io.vanswitch.dataplane.underlay;

import io.vanswitch.dataplane.frame.ArpFlyweight;
import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.IcmpFlyweight;
import io.vanswitch.dataplane.frame.InternetChecksum;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.Ipv4Flyweight;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.frame.UdpFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static io.vanswitch.dataplane.frame.EthernetFlyweight.HEADER_LENGTH;

/**
 * Decides what one frame received on the underlay NIC is to this host, and where the host owes an
 * answer (ARP for its address, ping) rewrites the frame into that answer in place, so the caller
 * sends the same buffer back out with the same length. One instance per PMD thread: it keeps the
 * facts about the last frame examined ({@link #senderIp()}, {@link #senderMac()},
 * {@link #vanPayloadOffset()}, {@link #vanPayloadLength()}) and allocates nothing.
 * <p>
 * The result is one of the code constants, dense from 0 so a caller can index counters by it;
 * {@link #label(int)} names them for operators. What the caller does:
 * <ul>
 *   <li>{@link #VAN_UDP}: decapsulate the VAN header at {@link #vanPayloadOffset()};
 *       {@link #senderIp()} is the peer host's underlay address.</li>
 *   <li>{@link #ARP_REPLIED}, {@link #ICMP_REPLIED}: transmit the frame on the same port.</li>
 *   <li>{@link #ARP_LEARNED}: record {@link #senderIp()} at {@link #senderMac()}.</li>
 *   <li>anything else: drop it ({@link #NOT_FOR_US} is not an error, the rest are).</li>
 * </ul>
 * <p>
 * Underlay ports are promiscuous (a switch port must see every frame), so the Ethernet destination
 * is checked here as the NIC's filter would: IPv4 must be addressed to our MAC and ARP to our MAC
 * or broadcast, else the frame is {@link #NOT_FOR_US} before anything else of it is read. IPv4
 * in a broadcast or multicast frame is never for us either: the overlay is unicast.
 * <p>
 * No read goes beyond {@code length}: Agrona's bounds checks are off in the daemon, so every
 * header is checked to fit before a flyweight reads it.
 */
public final class HostResponder
{
    /** IPv4 UDP to our address and overlay port: the VAN payload is ready to decapsulate. */
    public static final int VAN_UDP = 0;
    /** An ARP request for our address, now the reply: send it back. */
    public static final int ARP_REPLIED = 1;
    /** An ICMP echo request to our address, now the echo reply: send it back. */
    public static final int ICMP_REPLIED = 2;
    /** An ARP reply to us, or a gratuitous ARP: record the sender's address and MAC. */
    public static final int ARP_LEARNED = 3;
    /** Addressed to another MAC or IP, or ARP about other hosts. */
    public static final int NOT_FOR_US = 4;
    /** Truncated or inconsistent headers, a bad IPv4 or ICMP checksum, or an impossible source. */
    public static final int MALFORMED = 5;
    /** A fragment of an IPv4 datagram to us: the overlay never fragments (DF), so none are reassembled. */
    public static final int FRAGMENT = 6;
    /** For us but nothing we serve: other IP protocols, ICMP types or UDP ports, other EtherTypes. */
    public static final int OTHER = 7;
    /** How many codes there are: the size of an array indexed by them. */
    public static final int CODE_COUNT = 8;

    private static final String[] LABELS = {
        "van_udp", "arp_replied", "icmp_replied", "arp_learned", "not_for_us", "malformed", "fragment", "other" };

    private final long mac;
    private final int ip;
    private final int udpPort;

    private final ArpFlyweight arp = new ArpFlyweight();
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final IcmpFlyweight icmp = new IcmpFlyweight();
    private final UdpFlyweight udp = new UdpFlyweight();

    private int senderIp;
    private long senderMac;
    private int vanPayloadOffset;
    private int vanPayloadLength;

    /**
     * @param mac     this host's underlay MAC (the NIC's), see {@link MacAddress}.
     * @param ip      this host's underlay IPv4 address, see {@link Ipv4Address}.
     * @param udpPort the overlay's UDP destination port (4797 by default, docs/wire-format.md).
     */
    public HostResponder(final long mac, final int ip, final int udpPort)
    {
        if ((mac & ~MacAddress.MASK) != 0 || MacAddress.isGroup(mac) || MacAddress.isZero(mac))
        {
            throw new IllegalArgumentException("underlay MAC must be a unicast address: " + MacAddress.format(mac));
        }
        if (!Ipv4Address.isHost(ip))
        {
            throw new IllegalArgumentException("underlay address must be a host address: " + Ipv4Address.format(ip));
        }
        if (udpPort < 1 || udpPort > 0xFFFF)
        {
            throw new IllegalArgumentException("overlay UDP port must be 1-65535: " + udpPort);
        }
        this.mac = mac;
        this.ip = ip;
        this.udpPort = udpPort;
    }

    /**
     * Examines one frame and rewrites it into the answer when one is due.
     *
     * @param frame  over the received frame, its Ethernet header at offset 0.
     * @param length of the frame in bytes (without FCS); the buffer may be larger.
     * @return one of the code constants.
     */
    public int examine(final UnsafeBuffer frame, final int length)
    {
        senderIp = Ipv4Address.ANY;
        senderMac = MacAddress.NONE;
        vanPayloadOffset = 0;
        vanPayloadLength = 0;
        if (length < HEADER_LENGTH)
        {
            return MALFORMED;
        }
        final long destination = EthernetFlyweight.readMac(frame, EthernetFlyweight.DESTINATION_OFFSET);
        final int etherType = frame.getShort(EthernetFlyweight.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (etherType == EthernetFlyweight.ETHER_TYPE_IPV4)
        {
            if (destination != mac)
            {
                return NOT_FOR_US;
            }
            return sourceIsValid(frame) ? examineIpv4(frame, length) : MALFORMED;
        }
        if (etherType == EthernetFlyweight.ETHER_TYPE_ARP)
        {
            if (destination != mac && destination != MacAddress.BROADCAST)
            {
                return NOT_FOR_US;
            }
            return sourceIsValid(frame) ? examineArp(frame, length) : MALFORMED;
        }
        return OTHER;
    }

    /** A group or zero source cannot have sent the frame, and an answer to it would go to many. */
    private static boolean sourceIsValid(final UnsafeBuffer frame)
    {
        final long source = EthernetFlyweight.readMac(frame, EthernetFlyweight.SOURCE_OFFSET);
        return !MacAddress.isGroup(source) && !MacAddress.isZero(source);
    }

    private int examineArp(final UnsafeBuffer frame, final int length)
    {
        if (length < HEADER_LENGTH + ArpFlyweight.LENGTH)
        {
            return MALFORMED;
        }
        arp.wrap(frame, HEADER_LENGTH);
        if (arp.hardwareType() != ArpFlyweight.HARDWARE_TYPE_ETHERNET || arp.protocolType() != ArpFlyweight.PROTOCOL_TYPE_IPV4)
        {
            return OTHER;
        }
        if (arp.hardwareLength() != ArpFlyweight.HARDWARE_LENGTH_ETHERNET ||
            arp.protocolLength() != ArpFlyweight.PROTOCOL_LENGTH_IPV4)
        {
            return MALFORMED;
        }
        final int opcode = arp.opcode();
        if (opcode != ArpFlyweight.OPCODE_REQUEST && opcode != ArpFlyweight.OPCODE_REPLY)
        {
            return OTHER;
        }
        final long requesterMac = arp.senderMac();
        final int requesterIp = arp.senderIp();
        if (MacAddress.isGroup(requesterMac) || MacAddress.isZero(requesterMac))
        {
            // RFC 1812 3.3.2: never believe a group MAC for a unicast address
            return MALFORMED;
        }
        senderMac = requesterMac;
        senderIp = requesterIp;
        if (requesterIp == ip)
        {
            // another MAC claims our address (a conflict) or our own request came back: never learn that
            return NOT_FOR_US;
        }
        final int targetIp = arp.targetIp();
        if (opcode == ArpFlyweight.OPCODE_REQUEST && targetIp == ip)
        {
            // requester 0.0.0.0 is an RFC 5227 probe: answered too, as Linux does, which is how it sees the conflict
            arp.opcode(ArpFlyweight.OPCODE_REPLY)
                .targetMac(requesterMac)
                .targetIp(requesterIp)
                .senderMac(mac)
                .senderIp(ip);
            // to the ARP sender rather than the Ethernet source, as Linux does; they are the same in practice
            EthernetFlyweight.writeMac(frame, EthernetFlyweight.DESTINATION_OFFSET, requesterMac);
            EthernetFlyweight.writeMac(frame, EthernetFlyweight.SOURCE_OFFSET, mac);
            return ARP_REPLIED;
        }
        if (requesterIp != Ipv4Address.ANY && (targetIp == ip || targetIp == requesterIp))
        {
            // a reply to us, or a gratuitous ARP: a peer or the gateway announcing a new MAC after failover
            return ARP_LEARNED;
        }
        return NOT_FOR_US;
    }

    private int examineIpv4(final UnsafeBuffer frame, final int length)
    {
        if (length < HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return MALFORMED;
        }
        ipv4.wrap(frame, HEADER_LENGTH);
        final int headerLength = ipv4.headerLength();
        final int totalLength = ipv4.totalLength();
        // total length within the frame and the header within the total: the checksum reads only those bytes
        if (ipv4.version() != Ipv4Flyweight.VERSION || headerLength < Ipv4Flyweight.MIN_HEADER_LENGTH ||
            totalLength < headerLength || HEADER_LENGTH + totalLength > length || !ipv4.checksumValid())
        {
            return MALFORMED;
        }
        final int source = ipv4.source();
        senderIp = source;
        senderMac = EthernetFlyweight.readMac(frame, EthernetFlyweight.SOURCE_OFFSET);
        if (ipv4.destination() != ip)
        {
            return NOT_FOR_US;
        }
        if (!Ipv4Address.isHost(source))
        {
            return MALFORMED;
        }
        if (ipv4.isFragment())
        {
            return FRAGMENT;
        }
        final int payloadOffset = HEADER_LENGTH + headerLength;
        final int payloadLength = totalLength - headerLength;
        return switch (ipv4.protocol())
        {
            case Ipv4Flyweight.PROTOCOL_UDP -> examineUdp(frame, payloadOffset, payloadLength);
            case Ipv4Flyweight.PROTOCOL_ICMP -> examineIcmp(frame, payloadOffset, payloadLength);
            default -> OTHER;
        };
    }

    private int examineUdp(final UnsafeBuffer frame, final int offset, final int ipPayloadLength)
    {
        if (ipPayloadLength < UdpFlyweight.HEADER_LENGTH)
        {
            return MALFORMED;
        }
        udp.wrap(frame, offset);
        final int udpLength = udp.length();
        // the IPv4 total length may include trailing bytes beyond the datagram; the UDP length rules
        if (udpLength < UdpFlyweight.HEADER_LENGTH || udpLength > ipPayloadLength)
        {
            return MALFORMED;
        }
        if (udp.destinationPort() != udpPort)
        {
            return OTHER;
        }
        // the UDP checksum is not verified: the overlay sends 0 (docs/wire-format.md)
        vanPayloadOffset = offset + UdpFlyweight.HEADER_LENGTH;
        vanPayloadLength = udpLength - UdpFlyweight.HEADER_LENGTH;
        return VAN_UDP;
    }

    private int examineIcmp(final UnsafeBuffer frame, final int offset, final int icmpLength)
    {
        if (icmpLength < IcmpFlyweight.HEADER_LENGTH)
        {
            return MALFORMED;
        }
        icmp.wrap(frame, offset);
        if (icmp.type() != IcmpFlyweight.TYPE_ECHO_REQUEST || icmp.code() != 0)
        {
            return OTHER;
        }
        // verified, not just carried through: a damaged request is dropped rather than echoed
        if (!icmp.checksumValid(icmpLength))
        {
            return MALFORMED;
        }
        final long requesterMac = senderMac;
        EthernetFlyweight.writeMac(frame, EthernetFlyweight.DESTINATION_OFFSET, requesterMac);
        EthernetFlyweight.writeMac(frame, EthernetFlyweight.SOURCE_OFFSET, mac);
        // identification, DSCP, DF and any options stay as the request had them
        ipv4.destination(senderIp).source(ip).ttl(Ipv4Flyweight.DEFAULT_TTL).updateChecksum();
        // only type changes (8 -> 0) of the covered words, so the checksum is updated rather than re-summed
        final int requestTypeAndCode = icmp.typeAndCode();
        icmp.type(IcmpFlyweight.TYPE_ECHO_REPLY);
        icmp.checksum(InternetChecksum.update(icmp.checksum(), requestTypeAndCode, icmp.typeAndCode()));
        return ICMP_REPLIED;
    }

    /**
     * Of the last frame examined: the ARP sender's address, or the IPv4 source (the peer host for
     * {@link #VAN_UDP}); {@link Ipv4Address#ANY} when the frame had neither or was rejected early.
     * For {@link #ARP_REPLIED} it is the requester, whom RFC 826 lets the caller record as well
     * (unless ANY: a probe).
     */
    public int senderIp()
    {
        return senderIp;
    }

    /**
     * Of the last frame examined: the ARP sender's MAC, or for IPv4 the Ethernet source (the next
     * hop the frame came through: the peer host or a router); {@link MacAddress#NONE} otherwise.
     */
    public long senderMac()
    {
        return senderMac;
    }

    /** For {@link #VAN_UDP}: where the VAN header starts in the frame; 0 otherwise. */
    public int vanPayloadOffset()
    {
        return vanPayloadOffset;
    }

    /** For {@link #VAN_UDP}: bytes from the VAN header to the end of the UDP payload; 0 otherwise. */
    public int vanPayloadLength()
    {
        return vanPayloadLength;
    }

    public long mac()
    {
        return mac;
    }

    public int ip()
    {
        return ip;
    }

    public int udpPort()
    {
        return udpPort;
    }

    /** True for the codes after which the frame holds an answer to transmit on the same port. */
    public static boolean isReply(final int code)
    {
        return code == ARP_REPLIED || code == ICMP_REPLIED;
    }

    /** The operator-facing name of a code, e.g. "arp_replied", for counters and logs. */
    public static String label(final int code)
    {
        return LABELS[code];
    }
}
