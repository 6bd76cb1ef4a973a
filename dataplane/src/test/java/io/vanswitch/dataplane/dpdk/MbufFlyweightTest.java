package io.vanswitch.dataplane.dpdk;

import io.vanswitch.bindings.dpdk.rte_mbuf;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins {@code struct rte_mbuf} for DPDK 22.11 on x86_64 (pahole / offsetof values), so a change in
 * the generated bindings or a DPDK ABI bump fails here instead of corrupting frames.
 */
class MbufFlyweightTest
{
    @Test
    void offsetsMatchDpdk2211OnX86_64()
    {
        assertEquals(0, MbufFlyweight.BUF_ADDR_OFFSET);
        assertEquals(16, MbufFlyweight.DATA_OFF_OFFSET);
        assertEquals(18, MbufFlyweight.REFCNT_OFFSET);
        assertEquals(20, MbufFlyweight.NB_SEGS_OFFSET);
        assertEquals(22, MbufFlyweight.PORT_OFFSET);
        assertEquals(36, MbufFlyweight.PKT_LEN_OFFSET);
        assertEquals(40, MbufFlyweight.DATA_LEN_OFFSET);
        // vlan_tci_outer is at 52, buf_len at 54, the pool pointer at 56
        assertEquals(54, MbufFlyweight.BUF_LEN_OFFSET);
    }

    @Test
    void offsetsAreTheGeneratedLayout()
    {
        assertEquals(rte_mbuf.buf_addr$offset(), MbufFlyweight.BUF_ADDR_OFFSET);
        assertEquals(rte_mbuf.data_off$offset(), MbufFlyweight.DATA_OFF_OFFSET);
        assertEquals(rte_mbuf.refcnt$offset(), MbufFlyweight.REFCNT_OFFSET);
        assertEquals(rte_mbuf.nb_segs$offset(), MbufFlyweight.NB_SEGS_OFFSET);
        assertEquals(rte_mbuf.port$offset(), MbufFlyweight.PORT_OFFSET);
        assertEquals(rte_mbuf.pkt_len$offset(), MbufFlyweight.PKT_LEN_OFFSET);
        assertEquals(rte_mbuf.data_len$offset(), MbufFlyweight.DATA_LEN_OFFSET);
        assertEquals(rte_mbuf.buf_len$offset(), MbufFlyweight.BUF_LEN_OFFSET);
        assertEquals(56, rte_mbuf.pool$offset());
        assertEquals(64, rte_mbuf.next$offset(), "second cache line starts at 64");
        assertEquals(128, rte_mbuf.layout().byteSize());
    }

    @Test
    void everyFieldReadFitsTheWrappedHeader()
    {
        assertEquals(128, MbufFlyweight.HEADER_LENGTH);
        assertEquals(rte_mbuf.layout().byteSize(), MbufFlyweight.HEADER_LENGTH);
    }

    @Test
    void readsFieldsInNativeOrderAsUnsigned()
    {
        final UnsafeBuffer header = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
        final long data = header.addressOffset() + 1000;
        header.putLong(0, data - 128);
        header.putShort(16, (short)128);
        header.putShort(18, (short)0xFFFF);
        header.putShort(20, (short)3);
        header.putInt(36, 9000);
        header.putShort(40, (short)0xF000);

        final MbufFlyweight mbuf = new MbufFlyweight().wrap(header.addressOffset());

        assertEquals(data - 128, mbuf.bufAddr());
        assertEquals(128, mbuf.dataOff());
        assertEquals(data, mbuf.dataAddress());
        assertEquals(0xFFFF, mbuf.refcnt());
        assertEquals(3, mbuf.nbSegs());
        assertEquals(9000, mbuf.pktLen());
        assertEquals(0xF000, mbuf.dataLen());
    }
}
