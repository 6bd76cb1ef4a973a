package io.vanswitch.dataplane.pmd;

import io.vanswitch.bindings.DpdkShim;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.vanswitch.dataplane.pmd.PmdHarness.GENERATION;
import static io.vanswitch.dataplane.pmd.PmdHarness.PMD_INDEX;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which frames the switch checksums and segments in software: those from a packet-socket (veth)
 * port that carry the kernel's requests and leave by a port that cannot take them (any other kind,
 * or a flood, whose copies go to ports of every kind). A unicast from veth port to veth port keeps
 * its requests, for the receiving kernel. The fake device makes two "segments" of each frame it is
 * given, so the test sees that every segment is forwarded.
 */
class SoftwareOffloadTest
{
    private static final long ALICE = 0x0200_0000_000AL;
    private static final long BOB = 0x0200_0000_000BL;
    private static final long CAROL = 0x0200_0000_000CL;

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding vethA = packetSocketPort(0, 0);
    private final PortBinding vethB = packetSocketPort(1, 1);
    private final PortBinding tap = PmdHarness.port(2, VAN_A);

    private static PortBinding packetSocketPort(final int slot, final int index)
    {
        return new PortBinding(slot, GENERATION, "veth" + slot, DpdkShim.PACKET_SOCKET_PORT_BASE + index, VAN_A,
            MacAddress.NONE, PMD_INDEX, 0);
    }

    @BeforeEach
    void learn()
    {
        pmd.install(vethA, vethB, tap);
        pmd.receive(vethA, Frames.frame(MacAddress.BROADCAST, ALICE));
        pmd.receive(vethB, Frames.frame(MacAddress.BROADCAST, BOB));
        pmd.receive(tap, Frames.frame(MacAddress.BROADCAST, CAROL));
        pmd.io.clearSent();
    }

    @AfterEach
    void close()
    {
        pmd.assertNoLeaks();
        pmd.close();
    }

    private void receiveWithOffloads(final PortBinding ingress, final long destination)
    {
        pmd.io.requestOffloads(pmd.io.receive(ingress.dpdkPortId(), Frames.frame(destination, ingress == vethA ? ALICE : CAROL)));
        pmd.receive(ingress);
    }

    @Test
    void aUnicastBetweenVethPortsKeepsItsRequests()
    {
        receiveWithOffloads(vethA, BOB);

        assertEquals(0, pmd.io.softOffloads());
        assertEquals(1, pmd.sentOn(vethB).size(), "the frame whole, requests and all");
    }

    @Test
    void aUnicastToAnyOtherPortIsSegmentedAndEverySegmentSent()
    {
        receiveWithOffloads(vethA, CAROL);

        assertEquals(1, pmd.io.softOffloads());
        assertEquals(2, pmd.sentOn(tap).size());
        assertEquals(0, pmd.sentOn(vethB).size());
    }

    @Test
    void aFloodIsSegmentedOnceAndEachSegmentFloodedToEveryPort()
    {
        receiveWithOffloads(vethA, MacAddress.BROADCAST);

        assertEquals(1, pmd.io.softOffloads());
        assertEquals(2, pmd.sentOn(tap).size());
        assertEquals(2, pmd.sentOn(vethB).size());
        assertEquals(0, pmd.sentOn(vethA).size(), "never back to the ingress");
    }

    @Test
    void framesWithoutRequestsAndFramesFromOtherPortsAreLeftAlone()
    {
        pmd.receive(vethA, Frames.frame(CAROL, ALICE));
        // a TAP's frame never carries requests; were its mbuf to say otherwise, it is still not touched
        receiveWithOffloads(tap, ALICE);

        assertEquals(0, pmd.io.softOffloads());
        assertEquals(1, pmd.sentOn(tap).size());
        assertEquals(1, pmd.sentOn(vethA).size());
    }

    @Test
    void aFrameThatCannotBeSegmentedIsCountedAsOffloadFailed()
    {
        pmd.io.failCopy(true);
        receiveWithOffloads(vethA, CAROL);

        assertEquals(1, pmd.drops(vethA, DropReason.OFFLOAD_FAILED));
        assertEquals(0, pmd.sentOn(tap).size());
    }
}
