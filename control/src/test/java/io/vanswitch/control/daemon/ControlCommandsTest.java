package io.vanswitch.control.daemon;

import io.vanswitch.control.config.PortSpec;
import io.vanswitch.control.config.PortType;
import io.vanswitch.control.config.SwitchConfig;
import io.vanswitch.control.config.VanSpec;
import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlCommandsTest
{
    @TempDir
    Path stateDir;

    private TestSwitch sw;

    @BeforeEach
    void start()
    {
        sw = new TestSwitch(stateDir, 2);
    }

    @AfterEach
    void stop()
    {
        sw.close();
    }

    // ---- helpers ----

    private List<ControlMessage> send(final String word, final String... keyValues)
    {
        return sw.commands.handle(ControlMessage.of(word, keyValues).encode());
    }

    /** Sends a request that must succeed; returns its rows. */
    private List<ControlMessage> ok(final String word, final String... keyValues)
    {
        final List<ControlMessage> reply = send(word, keyValues);
        assertEquals("ok", reply.getLast().word(), () -> word + " failed: " + reply);
        return reply.subList(0, reply.size() - 1);
    }

    /** Sends a request that must fail; returns the error message. */
    private String error(final String word, final String... keyValues)
    {
        return errorOf(send(word, keyValues));
    }

    private static String errorOf(final List<ControlMessage> reply)
    {
        assertEquals(1, reply.size(), () -> "one error line expected: " + reply);
        assertEquals("error", reply.getFirst().word(), reply::toString);
        final String message = reply.getFirst().get("message");
        assertTrue(null != message && !message.isBlank(), reply::toString);
        return message;
    }

    private void addTap(final String name, final int van, final String ifname)
    {
        ok("port-add", "name", name, "van", Integer.toString(van), "type", "tap", "target", ifname);
    }

    private List<String> portNames()
    {
        return ok("port-list").stream().map(r -> r.get("name")).toList();
    }

    private void assertPersisted()
    {
        assertEquals(sw.conductor.config(), sw.stateFile.read(), "state file matches the running config");
    }

    // ---- VANs ----

    @Test
    void vanAddListDelete()
    {
        ok("van-add", "id", "5", "name", "blue");
        ok("van-add", "id", "16777215");
        assertEquals(List.of(
            Map.of("id", "5", "name", "blue", "ports", "0"),
            Map.of("id", "16777215", "name", "", "ports", "0")),
            ok("van-list").stream().map(ControlMessage::fields).toList());

        ok("van-del", "id", "5");
        assertEquals(List.of("16777215"), ok("van-list").stream().map(r -> r.get("id")).toList());
    }

    @Test
    void duplicateVanIsAnError()
    {
        ok("van-add", "id", "5");
        assertTrue(error("van-add", "id", "5", "name", "again").contains("VAN 5 already exists"));
        assertEquals(1, ok("van-list").size());
    }

    @Test
    void badVanRequestsAreErrors()
    {
        assertTrue(error("van-add", "id", "0").contains("bad VAN id 0"));
        assertTrue(error("van-add").contains("missing VAN id"));
        assertTrue(error("van-del", "id", "9").contains("unknown VAN 9"));
    }

    @Test
    void vanWithPortsCannotBeDeleted()
    {
        ok("van-add", "id", "5");
        addTap("web1", 5, "t-web1");
        addTap("web2", 5, "t-web2");
        final String message = error("van-del", "id", "5");
        assertTrue(message.contains("web1") && message.contains("web2"), message);
        assertEquals(List.of("5"), ok("van-list").stream().map(r -> r.get("id")).toList());
        assertEquals("2", ok("van-list").getFirst().get("ports"));
    }

    // ---- ports ----

    @Test
    void portAddListDelete()
    {
        ok("van-add", "id", "5");
        ok("port-add", "name", "vm1", "van", "5", "type", "vhost-user", "target", "/run/vm1.sock", "client", "true",
            "mac", "52:54:00:00:00:01");
        final ControlMessage row = ok("port-list").getFirst();
        assertEquals("vm1", row.get("name"));
        assertEquals("5", row.get("van"));
        assertEquals("vhost-user-client", row.get("type"));
        assertEquals("/run/vm1.sock", row.get("target"));
        assertEquals("52:54:00:00:00:01", row.get("mac"));
        assertEquals(List.of("vm1"), sw.driver.openPorts());

        ok("port-del", "name", "vm1");
        assertEquals(List.of(), portNames());
        assertEquals(List.of(), sw.driver.openPorts(), "the device is closed");
        ok("van-del", "id", "5");
    }

    @Test
    void portsAreSpreadOverPmds()
    {
        ok("van-add", "id", "1");
        addTap("a", 1, "ta");
        addTap("b", 1, "tb");
        assertEquals(List.of("0", "1"), ok("port-list").stream().map(r -> r.get("pmd")).toList());
    }

    @Test
    void portOnUnknownVanIsAnError()
    {
        assertTrue(error("port-add", "name", "vm1", "van", "7", "type", "tap", "target", "t0").contains("unknown VAN 7"));
        assertEquals(List.of(), portNames());
        assertEquals(List.of(), sw.driver.openPorts(), "no device made for a rejected port");
    }

    @Test
    void duplicatePortNameIsAnError()
    {
        ok("van-add", "id", "1");
        addTap("vm1", 1, "t0");
        assertTrue(error("port-add", "name", "vm1", "van", "1", "type", "tap", "target", "t1").contains("port vm1 already exists"));
        assertEquals(List.of("vm1"), portNames());
    }

    @Test
    void tapInterfaceUsedTwiceIsAnError()
    {
        ok("van-add", "id", "1");
        ok("van-add", "id", "2");
        addTap("a", 1, "vtap0");
        final String message = error("port-add", "name", "b", "van", "2", "type", "tap", "target", "vtap0");
        assertTrue(message.contains("vtap0") && message.contains("already used by port a"), message);
        assertEquals(List.of("a"), portNames());
    }

    @Test
    void unknownPortDeleteIsAnError()
    {
        assertTrue(error("port-del", "name", "ghost").contains("unknown port ghost"));
        assertTrue(error("port-del").contains("missing port name"));
    }

    @Test
    void driverFailureIsAnErrorAndChangesNothing() throws IOException
    {
        ok("van-add", "id", "1");
        addTap("good", 1, "t-good");
        final List<String> portsBefore = ok("port-list").stream().map(ControlMessage::encode).toList();
        final byte[] stateBefore = Files.readAllBytes(sw.stateFile.path());

        sw.driver.failFor("bad", "rte_dev_probe(net_tap_bad): Operation not permitted");
        final String message = error("port-add", "name", "bad", "van", "1", "type", "tap", "target", "t-bad");

        assertTrue(message.contains("rte_dev_probe(net_tap_bad): Operation not permitted"), message);
        assertEquals(portsBefore, ok("port-list").stream().map(ControlMessage::encode).toList());
        assertArrayEquals(stateBefore, Files.readAllBytes(sw.stateFile.path()), "state file unchanged");
        assertEquals(List.of("good"), sw.driver.openPorts());
    }

    @Test
    void everySuccessfulMutationIsPersisted()
    {
        ok("van-add", "id", "1", "name", "one");
        assertPersisted();
        ok("van-add", "id", "2");
        assertPersisted();
        ok("port-add", "name", "vm1", "van", "1", "type", "vhost-user", "target", "/run/vm1.sock");
        assertPersisted();
        ok("port-add", "name", "nul", "van", "2", "type", "devargs", "target", "net_null0", "mac", "02:00:00:00:00:01");
        assertPersisted();
        ok("port-del", "name", "vm1");
        assertPersisted();
        ok("van-del", "id", "1");
        assertPersisted();

        final SwitchConfig expected = new SwitchConfig(List.of(new VanSpec(2, null)),
            List.of(new PortSpec("nul", 2, PortType.DEVARGS, "net_null0", false, 0x020000000001L)));
        assertEquals(expected, sw.stateFile.read());
    }

    @Test
    void garbageGetsErrorRepliesAndTheHandlerKeepsWorking()
    {
        for (final String garbage : List.of("", "\u0000\u0001\u00ff\ufffd", "frobnicate\tx=1", "van-add\tid", "PING",
            "van-add\tid=%zz", "x".repeat(ControlMessage.MAX_LINE_LENGTH + 10)))
        {
            final String message = errorOf(sw.commands.handle(garbage));
            assertFalse(message.contains("\n"), message);
        }
        assertTrue(errorOf(sw.commands.handle("frobnicate")).contains("unknown command 'frobnicate'"));

        assertEquals("running", ok("ping").getFirst().get("status"));
        ok("van-add", "id", "3");
        assertEquals(1, ok("van-list").size());
    }

    @Test
    void statsHasRowsForPortsVansAndPmds()
    {
        ok("van-add", "id", "1");
        addTap("a", 1, "ta");
        final List<ControlMessage> rows = ok("stats");
        assertEquals(List.of("port", "van", "pmd", "pmd", "jvm"), rows.stream().map(r -> r.get("kind")).toList());
        assertEquals("a", rows.getFirst().get("name"));
        assertEquals("0", rows.getFirst().get("rx_packets"));
    }

    @Test
    void statsNumbersDoNotDependOnTheLocale()
    {
        final Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try
        {
            for (final ControlMessage row : ok("stats"))
            {
                if ("pmd".equals(row.get("kind")))
                {
                    assertTrue(row.get("busy_pct").matches("[0-9]+\\.[0-9]"), row.toString());
                }
            }
        }
        finally
        {
            Locale.setDefault(saved);
        }
    }

    @Test
    void fdbShowChecksTheVan()
    {
        ok("van-add", "id", "1");
        assertEquals(List.of(), ok("fdb-show"));
        assertEquals(List.of(), ok("fdb-show", "van", "1"));
        assertTrue(error("fdb-show", "van", "2").contains("unknown VAN 2"));
    }

    // ---- restore ----

    @Test
    void restoredPortThatFailsToOpenIsKeptAsFailedAndStaysPersisted()
    {
        final SwitchConfig config = new SwitchConfig(List.of(new VanSpec(1, "blue")), List.of(
            new PortSpec("ok1", 1, PortType.TAP, "t-ok1", false, MacAddress.NONE),
            new PortSpec("vm1", 1, PortType.VHOST_USER, "/run/vm1.sock", false, MacAddress.NONE)));
        sw.stateFile.write(config);
        sw.driver.failFor("vm1", "vhost-user socket /run/vm1.sock: No such file or directory");

        sw.conductor.restore(sw.stateFile.read());

        final List<ControlMessage> rows = ok("port-list");
        assertEquals(List.of("ok1", "vm1"), rows.stream().map(r -> r.get("name")).toList());
        assertEquals("failed", rows.get(1).get("link"));
        assertEquals("vhost-user socket /run/vm1.sock: No such file or directory", rows.get(1).get("error"));
        assertTrue(!"failed".equals(rows.get(0).get("link")) && null == rows.get(0).get("error"), rows.get(0).toString());
        assertEquals(config, sw.conductor.config());

        // the next change is saved with the failed port still in it: nothing the operator configured is lost
        ok("van-add", "id", "2");
        assertEquals(List.of("ok1", "vm1"), sw.stateFile.read().ports().stream().map(PortSpec::name).toList());

        // and the failed port can be deleted like any other
        ok("port-del", "name", "vm1");
        assertEquals(List.of("ok1"), sw.stateFile.read().ports().stream().map(PortSpec::name).toList());
    }
}
