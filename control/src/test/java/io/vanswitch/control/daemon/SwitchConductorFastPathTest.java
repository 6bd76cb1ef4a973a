package io.vanswitch.control.daemon;

import io.vanswitch.control.config.PortSpec;
import io.vanswitch.control.config.PortType;
import io.vanswitch.control.config.VanSpec;
import io.vanswitch.dataplane.frame.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conductor drives the kernel fast path from what the PMDs learn: veth ports are attached and
 * detached with their devices, a learned pair reaches the kernel at the next tick (one pass per 20
 * ms at most), a deleted port's flows go before {@code port del} returns, and other kinds of ports
 * never get rules. Ports take slots 0, 1, ... and generations 1, 2, ... in the order they are added.
 */
class SwitchConductorFastPathTest
{
    private static final long MAC_A = 0x5254_0000_aa01L;
    private static final long MAC_B = 0x5254_0000_aa02L;
    private static final long MAC_T = 0x5254_0000_aa03L;

    @TempDir
    Path dir;

    private TestSwitch sw;
    private final RecordingKernel kernel = new RecordingKernel();

    @BeforeEach
    void setUp()
    {
        sw = new TestSwitch(dir, 1);
        sw.conductor.enableKernelFastPath(kernel);
        sw.conductor.addVan(new VanSpec(1, null));
        sw.conductor.addPort(new PortSpec("a", 1, PortType.VETH, "vsa", false, MacAddress.NONE));  // slot 0, generation 1
        sw.conductor.addPort(new PortSpec("b", 1, PortType.VETH, "vsb", false, MacAddress.NONE));  // slot 1, generation 2
        sw.conductor.addPort(new PortSpec("t", 1, PortType.TAP, "vst", false, MacAddress.NONE));   // slot 2, generation 3
    }

    @AfterEach
    void tearDown()
    {
        sw.close();
    }

    @Test
    void vethPortsAreAttachedWithTheirDevicesAndNoOtherKind()
    {
        assertEquals(List.of("reset vsa-sw", "reset vsb-sw"), kernel.log);
        assertEquals("on", portStat("a", "kernel_fast_path"));
        assertTrue(row("t").get("kernel_fast_path") == null, "a TAP port has no kernel fast path: " + row("t"));
    }

    @Test
    void aLearnedPairReachesTheKernelAtTheNextTickAndATapPortsMacsNever()
    {
        kernel.log.clear();
        sw.conductor.onLearned(0, 0, MAC_A, 0, 1, 1_000);
        sw.conductor.onLearned(0, 0, MAC_B, 1, 2, 1_000);
        sw.conductor.onLearned(0, 0, MAC_T, 2, 3, 1_000);
        assertTrue(kernel.log.isEmpty(), "nothing before the tick: " + kernel.log);

        sw.conductor.tick(1_000);

        assertEquals(4, kernel.log.size(), kernel.log.toString());
        assertTrue(kernel.log.get(1).startsWith("apply filter add dev vsa-sw") && kernel.log.get(1).endsWith("redirect dev vsb-sw"),
            kernel.log.get(1));
        assertTrue(kernel.log.get(3).startsWith("apply filter add dev vsb-sw") && kernel.log.get(3).endsWith("redirect dev vsa-sw"),
            kernel.log.get(3));
        assertTrue(kernel.log.stream().noneMatch(line -> line.contains("aa:03")), "no flow to or from the TAP port's MAC");
        assertEquals("1", portStat("a", "kernel_flows"));
    }

    @Test
    void learningInABurstCostsOnePassPerSpacingNotOnePerMac()
    {
        learnAOnPortAAndBOnPortBAt(1_000);

        sw.conductor.onLearned(0, 0, MAC_B, 0, 1, 1_005);  // B moves to port a: no pair left
        sw.conductor.tick(1_005);
        assertTrue(kernel.log.isEmpty(), "5 ms after the last pass: none yet " + kernel.log);
        sw.conductor.tick(1_000 + KernelFastPath.MIN_RECONCILE_SPACING_MS);
        assertEquals(List.of(
            "apply filter del dev vsa-sw ingress pref 100", "bypass vsa-sw ",
            "apply filter del dev vsb-sw ingress pref 100", "bypass vsb-sw "), kernel.log);
    }

    @Test
    void aDeletedPortsFlowsGoBeforePortDelReturns()
    {
        learnAOnPortAAndBOnPortBAt(1_000);

        sw.conductor.deletePort("b");

        assertEquals(List.of("release vsb-sw", "apply filter del dev vsa-sw ingress pref 100", "bypass vsa-sw "), kernel.log);
        assertEquals("0", portStat("a", "kernel_flows"));
    }

    @Test
    void aCleanStopReleasesEveryVethPort()
    {
        kernel.log.clear();
        sw.conductor.closeAll();
        assertEquals(List.of("release vsa-sw", "release vsb-sw"), kernel.log);
    }

    /** A on port a, B on port b, the pair in the kernel after the tick at {@code nowMs}; the log cleared. */
    private void learnAOnPortAAndBOnPortBAt(final long nowMs)
    {
        sw.conductor.onLearned(0, 0, MAC_A, 0, 1, nowMs);
        sw.conductor.onLearned(0, 0, MAC_B, 1, 2, nowMs);
        sw.conductor.tick(nowMs);
        kernel.log.clear();
    }

    private String portStat(final String port, final String field)
    {
        return row(port).get(field);
    }

    private Map<String, String> row(final String port)
    {
        return sw.conductor.statsRows().stream()
            .map(row -> row.fields())
            .filter(f -> "port".equals(f.get("kind")) && port.equals(f.get("name")))
            .findFirst().orElseThrow();
    }
}
