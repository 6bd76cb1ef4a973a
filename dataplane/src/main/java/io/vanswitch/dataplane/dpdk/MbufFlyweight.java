package io.vanswitch.dataplane.dpdk;

import io.vanswitch.bindings.dpdk.rte_mbuf;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Flyweight over a {@code struct rte_mbuf} header. Offsets come from the jextract layout, so a DPDK
 * ABI change shows up as a test failure (MbufFlyweightTest pins them), not as corrupted frames.
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
    /** Bytes of the header this flyweight reads: the first two cache lines. */
    public static final int HEADER_LENGTH = 128;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);

    public MbufFlyweight wrap(final long mbufAddress)
    {
        buffer.wrap(mbufAddress, HEADER_LENGTH);
        return this;
    }

    public long bufAddr()
    {
        return buffer.getLong(BUF_ADDR_OFFSET);
    }

    public int dataOff()
    {
        return buffer.getShort(DATA_OFF_OFFSET) & 0xFFFF;
    }

    /** Address of the first byte of packet data in the first segment. */
    public long dataAddress()
    {
        return bufAddr() + dataOff();
    }

    public int dataLen()
    {
        return buffer.getShort(DATA_LEN_OFFSET) & 0xFFFF;
    }

    public int pktLen()
    {
        return buffer.getInt(PKT_LEN_OFFSET);
    }

    public int nbSegs()
    {
        return buffer.getShort(NB_SEGS_OFFSET) & 0xFFFF;
    }

    /** Sets a single-segment mbuf's length (data_len and pkt_len): for frames the switch builds. */
    public MbufFlyweight length(final int length)
    {
        buffer.putShort(DATA_LEN_OFFSET, (short)length);
        buffer.putInt(PKT_LEN_OFFSET, length);
        return this;
    }

    /**
     * Moves the start of the data by {@code delta} bytes (negative: prepend into the headroom,
     * positive: strip a header) and adjusts both lengths: rte_pktmbuf_prepend/adj for a
     * single-segment mbuf. Callers check headroom and length first.
     */
    public MbufFlyweight adjustStart(final int delta)
    {
        buffer.putShort(DATA_OFF_OFFSET, (short)(dataOff() + delta));
        buffer.putShort(DATA_LEN_OFFSET, (short)(dataLen() - delta));
        buffer.putInt(PKT_LEN_OFFSET, pktLen() - delta);
        return this;
    }

    public int bufLen()
    {
        return buffer.getShort(BUF_LEN_OFFSET) & 0xFFFF;
    }

    public int refcnt()
    {
        return buffer.getShort(REFCNT_OFFSET) & 0xFFFF;
    }
}
