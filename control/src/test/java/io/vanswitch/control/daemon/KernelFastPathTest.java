package io.vanswitch.control.daemon;

import io.vanswitch.control.daemon.KernelFastPath.Endpoint;
import io.vanswitch.control.daemon.KernelFastPath.Flow;
import io.vanswitch.dataplane.dpdk.PortDevice;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which learned flows the kernel fast path gives to the kernel, and in what order it changes the
 * kernel's rules and the rx filters so that a change drops frames rather than duplicating them.
 */
class KernelFastPathTest
{
    private static final long MAC_A = 0x5254_0000_bb01L;
    private static final long MAC_B = 0x5254_0000_bb02L;
    private static final long MAC_C = 0x5254_0000_bb03L;

    private final RecordingKernel kernel = new RecordingKernel();
    private final KernelFastPath fastPath = new KernelFastPath(kernel);

    @Test
    void flowsJoinLearnedMacsOnDifferentAttachedPortsOfOneVanOnly()
    {
        final Map<String, Set<Flow>> flows = KernelFastPath.flows(List.of(
            new Endpoint(1, MAC_A, "a-sw"),
            new Endpoint(1, MAC_B, "b-sw"),
            new Endpoint(1, MAC_C, "a-sw"),          // same port as A: the kernel never sends a frame back out its port
            new Endpoint(2, 0x5254_0000_cc01L, "c-sw"), // another VAN: never joined to VAN 1's ports
            new Endpoint(1, 0x5254_0000_dd01L, "tap")),  // not an attached (veth) port
            Set.of("a-sw", "b-sw", "c-sw"));

        assertEquals(Set.of(new Flow(MAC_A, MAC_B, "b-sw"), new Flow(MAC_C, MAC_B, "b-sw")), flows.get("a-sw"));
        assertEquals(Set.of(new Flow(MAC_B, MAC_A, "a-sw"), new Flow(MAC_B, MAC_C, "a-sw")), flows.get("b-sw"));
        assertNull(flows.get("c-sw"), "alone in its VAN");
        assertNull(flows.get("tap"));
    }

    @Test
    void aPortTakesAtMostItsLimitOfFlows()
    {
        final List<Endpoint> endpoints = new ArrayList<>();
        endpoints.add(new Endpoint(1, MAC_A, "a-sw"));
        for (int i = 0; i < KernelFastPath.MAX_FLOWS_PER_PORT + 10; i++)
        {
            endpoints.add(new Endpoint(1, 0x0200_0000_0000L + i, "b-sw"));
        }
        final Map<String, Set<Flow>> flows = KernelFastPath.flows(endpoints, Set.of("a-sw", "b-sw"));
        assertEquals(KernelFastPath.MAX_FLOWS_PER_PORT, flows.get("a-sw").size());
    }

    @Test
    void attachStartsFromAnEmptyQdiscAndNewFlowsAreFilteredBeforeTheirRulesExist()
    {
        fastPath.attach("a-sw", new Device());
        fastPath.attach("b-sw", new Device());
        assertEquals(List.of("reset a-sw", "reset b-sw"), kernel.log);
        kernel.log.clear();

        assertEquals(2, fastPath.reconcile(List.of(new Endpoint(1, MAC_A, "a-sw"), new Endpoint(1, MAC_B, "b-sw"))));

        assertEquals(List.of(
            "bypass a-sw " + MAC_A + ">" + MAC_B,
            "apply filter add dev a-sw ingress pref 100 protocol all u32 match ether src 52:54:00:00:bb:01" +
                " match ether dst 52:54:00:00:bb:02 action mirred egress redirect dev b-sw",
            "bypass b-sw " + MAC_B + ">" + MAC_A,
            "apply filter add dev b-sw ingress pref 100 protocol all u32 match ether src 52:54:00:00:bb:02" +
                " match ether dst 52:54:00:00:bb:01 action mirred egress redirect dev a-sw"), kernel.log);
        assertEquals(1, fastPath.flowCount("a-sw"));
        kernel.log.clear();
        assertEquals(0, fastPath.reconcile(List.of(new Endpoint(1, MAC_A, "a-sw"), new Endpoint(1, MAC_B, "b-sw"))),
            "nothing changed, nothing asked of the kernel");
        assertTrue(kernel.log.isEmpty(), kernel.log.toString());
    }

    @Test
    void aMovedMacLosesItsRuleBeforeTheFilterLetsItsFramesBackAndKeepsItsCounts()
    {
        fastPath.attach("a-sw", new Device());
        fastPath.attach("b-sw", new Device());
        fastPath.attach("c-sw", new Device());
        fastPath.reconcile(List.of(new Endpoint(1, MAC_A, "a-sw"), new Endpoint(1, MAC_B, "b-sw")));
        kernel.stats.put("a-sw", Map.of(100, new long[]{10, 15_000}));
        kernel.log.clear();

        // B moved from port b to port c: a's rule now redirects to c, b has no flows left
        fastPath.reconcile(List.of(new Endpoint(1, MAC_A, "a-sw"), new Endpoint(1, MAC_B, "c-sw")));

        assertEquals(List.of(
            "apply filter del dev a-sw ingress pref 100",
            "bypass a-sw " + MAC_A + ">" + MAC_B,
            "apply filter add dev a-sw ingress pref 100 protocol all u32 match ether src 52:54:00:00:bb:01" +
                " match ether dst 52:54:00:00:bb:02 action mirred egress redirect dev c-sw",
            "apply filter del dev b-sw ingress pref 100",
            "bypass b-sw ",
            "bypass c-sw " + MAC_B + ">" + MAC_A,
            "apply filter add dev c-sw ingress pref 100 protocol all u32 match ether src 52:54:00:00:bb:02" +
                " match ether dst 52:54:00:00:bb:01 action mirred egress redirect dev a-sw"), kernel.log);

        kernel.stats.put("a-sw", Map.of(100, new long[]{3, 4_500}));
        assertArrayEquals(new long[]{13, 19_500}, fastPath.forwarded("a-sw"), "the removed rule's frames still count");
        assertEquals(0, fastPath.flowCount("b-sw"));
    }

    @Test
    void aRuleTheKernelRefusesTurnsThePortsFastPathOffWithEveryFrameBackThroughTheSwitch()
    {
        fastPath.attach("a-sw", new Device());
        fastPath.attach("b-sw", new Device());
        kernel.refuse = "RTNETLINK answers: Operation not supported";
        kernel.log.clear();

        fastPath.reconcile(List.of(new Endpoint(1, MAC_A, "a-sw"), new Endpoint(1, MAC_B, "b-sw")));

        assertTrue(fastPath.failure("a-sw").contains("Operation not supported"), fastPath.failure("a-sw"));
        assertEquals(0, fastPath.flowCount("a-sw"));
        assertEquals(List.of("bypass a-sw " + MAC_A + ">" + MAC_B, "refused", "bypass a-sw ", "reset a-sw"),
            kernel.log.subList(0, 4), "the filter taken away again and the qdisc emptied");
        kernel.refuse = null;
        kernel.log.clear();
        fastPath.reconcile(List.of(new Endpoint(1, MAC_A, "a-sw"), new Endpoint(1, MAC_C, "b-sw")));
        assertTrue(kernel.log.stream().noneMatch(line -> line.contains("add dev a-sw") || line.startsWith("bypass a-sw")),
            "a failed port is left alone: " + kernel.log);
    }

    @Test
    void anAttachTheKernelRefusesLeavesThePortToTheSwitch()
    {
        kernel.refuse = "Error: Specified qdisc kind is unknown.";
        fastPath.attach("a-sw", new Device());
        assertTrue(fastPath.failure("a-sw").contains("qdisc kind is unknown"), fastPath.failure("a-sw"));
        kernel.refuse = null;
        fastPath.attach("b-sw", new Device());
        kernel.log.clear();
        fastPath.reconcile(List.of(new Endpoint(1, MAC_A, "a-sw"), new Endpoint(1, MAC_B, "b-sw")));
        assertTrue(kernel.log.stream().noneMatch(line -> line.contains("add dev a-sw") || line.startsWith("bypass a-sw")),
            "no rule on a's ingress, no filter on its socket: " + kernel.log);
        assertTrue(kernel.log.stream().anyMatch(line -> line.contains("add dev b-sw") && line.endsWith("redirect dev a-sw")),
            "b's flows to a still go through the kernel: a's egress needs nothing of a's tc: " + kernel.log);
    }

    @Test
    void detachRemovesThePortsQdiscAndItsRules()
    {
        fastPath.attach("a-sw", new Device());
        kernel.log.clear();
        fastPath.detach("a-sw");
        fastPath.detach("a-sw");
        assertEquals(List.of("release a-sw"), kernel.log, "once");
        assertTrue(!fastPath.isAttached("a-sw"));
    }

    @Test
    void tcStatisticsAreReadPerRulePriority()
    {
        final String output = """
            filter protocol all pref 100 u32 chain 0\s
            filter protocol all pref 100 u32 chain 0 fh 800: ht divisor 1\s
            filter protocol all pref 100 u32 chain 0 fh 800::800 order 2048 key ht 800 bkt 0 terminal flowid not_in_hw\s
              match 52540000/ffffffff at -8
              match 0000bb02/ffffffff at -12
            \taction order 1: mirred (Egress Redirect to device zt1) stolen
            \tindex 1 ref 1 bind 1 installed 0 sec used 0 sec
            \tAction statistics:
            \tSent 8249600319 bytes 5742484 pkt (dropped 0, overlimits 0 requeues 0)\s
            \tbacklog 0b 0p requeues 0

            filter protocol all pref 101 u32 chain 0\s
            filter protocol all pref 101 u32 chain 0 fh 801::800 order 2048 key ht 801 bkt 0 terminal flowid not_in_hw\s
            \tAction statistics:
            \tSent 98 bytes 1 pkt (dropped 0, overlimits 0 requeues 0)\s
            """;
        final Map<Integer, long[]> stats = TcKernel.parseStats(output);
        assertArrayEquals(new long[]{5742484, 8249600319L}, stats.get(100));
        assertArrayEquals(new long[]{1, 98}, stats.get(101));
        assertEquals(2, stats.size());
    }

    private static final class Device implements PortDevice
    {
        public int portId()
        {
            return 0x4000;
        }

        public boolean isLinkUp()
        {
            return true;
        }

        public long rxMissed()
        {
            return 0;
        }

        public void close()
        {
        }
    }
}
