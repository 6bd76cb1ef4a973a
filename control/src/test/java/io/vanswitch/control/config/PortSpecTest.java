package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static io.vanswitch.control.config.PortType.DEVARGS;
import static io.vanswitch.control.config.PortType.TAP;
import static io.vanswitch.control.config.PortType.VETH;
import static io.vanswitch.control.config.PortType.VHOST_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortSpecTest
{
    private static final long NONE = MacAddress.NONE;

    private static void assertRejected(final Executable executable, final String expected)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
    }

    @Test
    void badPortNames()
    {
        assertRejected(() -> new PortSpec("", 1, TAP, "t0", false, NONE), "bad port name ''");
        assertRejected(() -> new PortSpec(null, 1, TAP, "t0", false, NONE), "bad port name 'null'");
        assertRejected(() -> new PortSpec("-vm", 1, TAP, "t0", false, NONE), "bad port name '-vm'");
        assertRejected(() -> new PortSpec("vm 1", 1, TAP, "t0", false, NONE), "bad port name 'vm 1'");
        assertRejected(() -> new PortSpec("p".repeat(33), 1, TAP, "t0", false, NONE), "up to 32");
        assertRejected(() -> new PortSpec("vm\n1", 1, TAP, "t0", false, NONE), "bad port name 'vm?1'");
        assertEquals("p".repeat(32), new PortSpec("p".repeat(32), 1, TAP, "t0", false, NONE).name());
    }

    @Test
    void vanIdIsChecked()
    {
        assertRejected(() -> new PortSpec("vm1", 0, TAP, "t0", false, NONE), "bad VAN id 0");
        assertRejected(() -> new PortSpec("vm1", 16777216, TAP, "t0", false, NONE), "bad VAN id 16777216");
        assertRejected(() -> PortSpec.fromRequest(ControlMessage.of("port-add", "name", "vm1", "van", "blue",
            "type", "tap", "target", "t0")), "bad VAN id 'blue'");
    }

    @Test
    void vhostUserPathMustBeAbsoluteWithoutCommas()
    {
        assertRejected(() -> new PortSpec("vm1", 1, VHOST_USER, "vm1.sock", false, NONE), "bad vhost-user socket path 'vm1.sock'");
        assertRejected(() -> new PortSpec("vm1", 1, VHOST_USER, "/tmp/a,queues=8", false, NONE), "without commas");
        assertRejected(() -> new PortSpec("vm1", 1, VHOST_USER, "/" + "d".repeat(100), false, NONE), "at most 100");
        assertRejected(() -> new PortSpec("vm1", 1, VHOST_USER, "", false, NONE), "missing vhost-user socket path");
        assertRejected(() -> new PortSpec("vm1", 1, VHOST_USER, null, false, NONE), "missing vhost-user socket path");
    }

    @Test
    void tapNamesFitTheKernelLimit()
    {
        assertEquals("t".repeat(15), new PortSpec("p1", 1, TAP, "t".repeat(15), false, NONE).target());
        assertRejected(() -> new PortSpec("p1", 1, TAP, "t".repeat(16), false, NONE), "1 to 15");
        assertRejected(() -> new PortSpec("p1", 1, TAP, "tap/0", false, NONE), "bad TAP interface name 'tap/0'");
    }

    @Test
    void clientModeIsForVhostUserOnly()
    {
        assertRejected(() -> new PortSpec("p1", 1, TAP, "t0", true, NONE), "--client applies to vhost-user ports only");
        assertRejected(() -> new PortSpec("p1", 1, DEVARGS, "net_null0", true, NONE), "--client");
    }

    @Test
    void devargsMayNotContainSpaces()
    {
        assertRejected(() -> new PortSpec("p1", 1, DEVARGS, "net_null0 iface=x", false, NONE), "no spaces");
    }

    @Test
    void assignedMacMustBeUnicastAndNonZero()
    {
        assertRejected(() -> new PortSpec("p1", 1, TAP, "t0", false, MacAddress.parse("01:00:5e:00:00:01")),
            "bad MAC address 01:00:5e:00:00:01 for port p1");
        assertRejected(() -> new PortSpec("p1", 1, TAP, "t0", false, MacAddress.BROADCAST), "unicast");
        assertRejected(() -> new PortSpec("p1", 1, TAP, "t0", false, 0L), "bad MAC address 00:00:00:00:00:00");
        assertEquals(0x525400123456L, new PortSpec("p1", 1, TAP, "t0", false, 0x525400123456L).mac());
    }

    @Test
    void badRequestFieldsGiveOneLineReasons()
    {
        assertRejected(() -> PortSpec.fromRequest(ControlMessage.of("port-add", "name", "p1", "van", "1")), "missing port type");
        assertRejected(() -> PortSpec.fromRequest(ControlMessage.of("port-add", "name", "p1", "van", "1",
            "type", "macvtap", "target", "x")), "unknown port type 'macvtap': expected vhost-user, tap, veth or devargs");
        assertRejected(() -> PortSpec.fromRequest(ControlMessage.of("port-add", "name", "p1", "van", "1",
            "type", "vhost-user", "target", "/s", "client", "yes")), "bad client flag 'yes'");
        assertRejected(() -> PortSpec.fromRequest(ControlMessage.of("port-add", "name", "p1", "van", "1",
            "type", "tap", "target", "t0", "mac", "52:54:00")), "bad MAC address");
    }

    @Test
    void devargsForEachType()
    {
        assertEquals("net_vhost_vm1,iface=/run/vm1.sock,queues=2,client=0",
            new PortSpec("vm1", 1, VHOST_USER, "/run/vm1.sock", false, NONE).devargs(2));
        assertEquals("net_vhost_vm2,iface=/run/vm2.sock,queues=1,client=1",
            new PortSpec("vm2", 1, VHOST_USER, "/run/vm2.sock", true, NONE).devargs(1));
        assertEquals("net_tap_host,iface=vtap0",
            new PortSpec("host", 1, TAP, "vtap0", false, NONE).devargs(2));
        final PortSpec raw = new PortSpec("uplink", 1, DEVARGS, "net_af_packet0,iface=eth1,qpairs=2", false, NONE);
        assertEquals("net_af_packet0,iface=eth1,qpairs=2", raw.devargs(4));
        assertEquals("net_af_packet0", raw.deviceName());
    }

    @Test
    void vethPortsReadTheSwitchSideThroughTheShimsPacketSockets()
    {
        final PortSpec veth = new PortSpec("c1", 1, VETH, "vsc1", false, NONE);
        assertEquals("veth_c1", veth.deviceName());
        assertEquals("vsc1-sw", veth.vethSwitchSide());
        assertThrows(IllegalStateException.class, () -> veth.devargs(2), "no DPDK device");
        assertRejected(() -> new PortSpec("c1", 1, VETH, "v".repeat(16), false, NONE), "bad veth interface name");
        assertRejected(() -> new PortSpec("c1", 1, VETH, "a b", false, NONE), "1 to 15");
        assertThrows(IllegalStateException.class, () -> new PortSpec("host", 1, TAP, "vtap0", false, NONE).vethSwitchSide());
    }

    @Test
    void vethSwitchSideNamesFitTheKernelLimitAndStayDistinct()
    {
        final String twelve = new PortSpec("c", 1, VETH, "abcdefghijkl", false, NONE).vethSwitchSide();
        assertEquals("abcdefghijkl-sw", twelve);
        final String a = new PortSpec("c", 1, VETH, "tenant-a-eth00", false, NONE).vethSwitchSide();
        final String b = new PortSpec("c", 1, VETH, "tenant-a-eth01", false, NONE).vethSwitchSide();
        assertEquals(15, a.length());
        assertTrue(a.startsWith("tena") && a.endsWith("-sw"), a);
        assertFalse(a.equals(b), a + " and " + b);
        // the same name every time: a restart finds the pair it made
        assertEquals(a, new PortSpec("other", 2, VETH, "tenant-a-eth00", false, NONE).vethSwitchSide());
        final PortSpec veth = new PortSpec("c1", 3, VETH, "vsc1", false, NONE);
        assertEquals("port-add\tname=c1\tvan=3\ttype=veth\ttarget=vsc1", veth.toRequest().encode());
        assertEquals(veth, PortSpec.fromRequest(veth.toRequest()));
    }

    @Test
    void requestRoundTripKeepsClientFlagAndMac()
    {
        final PortSpec client = new PortSpec("vm1", 9, VHOST_USER, "/run/vm 1.sock", true, 0x525400aabbccL);
        final ControlMessage request = ControlMessage.decode(client.toRequest().encode());
        assertEquals("true", request.get("client"));
        assertEquals("52:54:00:aa:bb:cc", request.get("mac"));
        assertEquals(client, PortSpec.fromRequest(request));

        final PortSpec plain = new PortSpec("t", 9, TAP, "t0", false, NONE);
        assertEquals("port-add\tname=t\tvan=9\ttype=tap\ttarget=t0", plain.toRequest().encode());
        assertEquals(plain, PortSpec.fromRequest(plain.toRequest()));
    }
}
