package io.vanswitch.dataplane.dpdk;

import io.vanswitch.bindings.dpdk.rte_mbuf;
import org.agrona.UnsafeApi;

/**
 * Flyweight over a {@code struct rte_mbuf} header. Offsets come from the jextract layout, so a DPDK
 * ABI change shows up as a test failure (MbufFlyweightTest pins them), not as corrupted frames.
 * <p>
 * It reads and writes the header at its native address directly (Unsafe with no base object), not
 * through an UnsafeBuffer: the JIT then knows every access is off-heap and keeps the flyweight's
 * address in a register, where an UnsafeBuffer's accessors reload its array and address fields
 * around each access (the base could be an array) and its wrap stores four fields. The packet path
 * wraps every mbuf several times per frame.
 */
public final class MbufFlyweight
{
    public static final int BUF_ADDR_OFFSET = (int)rte_mbuf.buf_addr$offset();
    public static final int DATA_OFF_OFFSET = (int)rte_mbuf.data_off$offset();
    public static final int REFCNT_OFFSET = (int)rte_mbuf.refcnt$offset();
    public static final int NB_SEGS_OFFSET = (int)rte_mbuf.nb_segs$offset();
    public static final int PORT_OFFSET = (int)rte_mbuf.port$offset();
    public static final int PKT_LEN_OFFSET = (int)rte_mbuf.pkt_len$offset();
    public static final int DATA_LEN_OFFSET = (int)rte_mbuf.data_len$offset();
    public static final int BUF_LEN_OFFSET = (int)rte_mbuf.buf_len$offset();
    public static final int OL_FLAGS_OFFSET = (int)rte_mbuf.ol_flags$offset();
    /**
     * RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG: the requests a frame
     * from a packet-socket port may carry (a checksum to complete, a segment to cut), which every
     * other kind of port needs done first.
     */
    public static final long SOFTWARE_OFFLOAD_FLAGS = (3L << 52) | (1L << 50) | (1L << 42);
    /** Bytes of the header this flyweight reads: the first two cache lines. */
    public static final int HEADER_LENGTH = 128;

    private long address;

    public MbufFlyweight wrap(final long mbufAddress)
    {
        address = mbufAddress;
        return this;
    }

    public long bufAddr()
    {
        return UnsafeApi.getLong(address + BUF_ADDR_OFFSET);
    }

    public int dataOff()
    {
        return UnsafeApi.getShort(address + DATA_OFF_OFFSET) & 0xFFFF;
    }

    /** Address of the first byte of packet data in the first segment. */
    public long dataAddress()
    {
        return bufAddr() + dataOff();
    }

    public int dataLen()
    {
        return UnsafeApi.getShort(address + DATA_LEN_OFFSET) & 0xFFFF;
    }

    public int pktLen()
    {
        return UnsafeApi.getInt(address + PKT_LEN_OFFSET);
    }

    public int nbSegs()
    {
        return UnsafeApi.getShort(address + NB_SEGS_OFFSET) & 0xFFFF;
    }

    /** Sets a single-segment mbuf's length (data_len and pkt_len): for frames the switch builds. */
    public MbufFlyweight length(final int length)
    {
        UnsafeApi.putShort(address + DATA_LEN_OFFSET, (short)length);
        UnsafeApi.putInt(address + PKT_LEN_OFFSET, length);
        return this;
    }

    /**
     * Moves the start of the data by {@code delta} bytes (negative: prepend into the headroom,
     * positive: strip a header) and adjusts both lengths: rte_pktmbuf_prepend/adj for a
     * single-segment mbuf. Callers check headroom and length first.
     */
    public MbufFlyweight adjustStart(final int delta)
    {
        UnsafeApi.putShort(address + DATA_OFF_OFFSET, (short)(dataOff() + delta));
        UnsafeApi.putShort(address + DATA_LEN_OFFSET, (short)(dataLen() - delta));
        UnsafeApi.putInt(address + PKT_LEN_OFFSET, pktLen() - delta);
        return this;
    }

    public long olFlags()
    {
        return UnsafeApi.getLong(address + OL_FLAGS_OFFSET);
    }

    public int bufLen()
    {
        return UnsafeApi.getShort(address + BUF_LEN_OFFSET) & 0xFFFF;
    }

    public int refcnt()
    {
        return UnsafeApi.getShort(address + REFCNT_OFFSET) & 0xFFFF;
    }
}
