package io.vanswitch.control.cli;

import io.vanswitch.control.daemon.ServerLoop;
import io.vanswitch.control.daemon.TestSwitch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * vanctl as an operator runs it: exit codes, one-line errors, and output against a live control
 * socket served by the real command handler over a test switch.
 */
class VanctlTest
{
    @TempDir
    Path dir;

    private TestSwitch sw;
    private ServerLoop loop;
    private String socket;

    record Result(int exit, String out, String err)
    {
        List<String> errLines()
        {
            return err.lines().toList();
        }

        List<String> outLines()
        {
            return out.lines().toList();
        }
    }

    private static Result vanctl(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exit = Vanctl.run(args, o, e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs vanctl against the test daemon; the command must succeed. */
    private Result ok(final String... args)
    {
        final String[] withSocket = new String[args.length + 2];
        withSocket[0] = "--socket";
        withSocket[1] = socket;
        System.arraycopy(args, 0, withSocket, 2, args.length);
        final Result result = vanctl(withSocket);
        assertEquals(0, result.exit(), () -> String.join(" ", args) + ": " + result);
        assertEquals("", result.err());
        return result;
    }

    private static void assertOneErrorLine(final Result result, final int exit, final String expected)
    {
        assertEquals(exit, result.exit(), result::toString);
        assertEquals(1, result.errLines().size(), () -> "exactly one line on stderr: " + result.err());
        assertTrue(result.err().startsWith("vanctl: "), result.err());
        assertTrue(result.err().contains(expected), () -> "'" + expected + "' expected in: " + result.err());
        assertEquals("", result.out());
    }

    @BeforeEach
    void start() throws IOException
    {
        sw = new TestSwitch(dir.resolve("state"), 1);
        socket = dir.resolve("vanswitch.sock").toString();
        loop = new ServerLoop(Path.of(socket), sw.commands::handle);
    }

    @AfterEach
    void stop() throws InterruptedException
    {
        loop.close();
        sw.close();
    }

    // ---- usage errors: exit 2 (or 1 for a bad value found after parsing), one line ----

    @Test
    void everySubcommandHasHelp()
    {
        for (final String[] command : new String[][]{ { "port", "add" }, { "van", "del" }, { "fdb", "show" }, { "stats" } })
        {
            final String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            final Result result = vanctl(args);
            assertEquals(0, result.exit(), String.join(" ", args) + ": " + result.err());
            assertTrue(result.out().startsWith("Usage: vanctl " + String.join(" ", command)), result.out());
        }
    }

    @Test
    void missingVanIsAUsageError()
    {
        assertOneErrorLine(vanctl("--socket", socket, "port", "add", "p1", "--tap", "t0"), 2, "--van");
    }

    @Test
    void tapAndDevargsTogetherIsAUsageError()
    {
        assertOneErrorLine(vanctl("--socket", socket, "port", "add", "p1", "--van", "1", "--tap", "t0", "--devargs", "net_null0"),
            2, "mutually exclusive");
    }

    @Test
    void nonNumericVanIdIsAUsageError()
    {
        assertOneErrorLine(vanctl("--socket", socket, "van", "add", "blue"), 2, "blue");
        assertOneErrorLine(vanctl("--socket", socket, "port", "add", "p1", "--van", "blue", "--tap", "t0"), 2, "blue");
    }

    @Test
    void unknownSubcommandIsAUsageError()
    {
        assertOneErrorLine(vanctl("--socket", socket, "bridge", "add"), 2, "bridge");
    }

    @Test
    void badMacIsAnError()
    {
        assertOneErrorLine(vanctl("--socket", socket, "port", "add", "p1", "--van", "1", "--tap", "t0", "--mac", "52:54:00"),
            1, "bad MAC address '52:54:00'");
        assertOneErrorLine(vanctl("--socket", socket, "port", "add", "p1", "--van", "1", "--tap", "t0", "--mac", "01:00:5e:00:00:01"),
            1, "unicast");
        assertEquals(List.of(), sw.stateFile.read().ports(), "nothing reached the daemon");
    }

    @Test
    void outOfRangeVanIdIsAnError()
    {
        assertOneErrorLine(vanctl("--socket", socket, "van", "add", "16777216"), 1, "bad VAN id 16777216");
    }

    @Test
    void daemonNotRunning()
    {
        final Result result = vanctl("--socket", dir.resolve("nowhere/vanswitch.sock").toString(), "van", "list");
        assertOneErrorLine(result, 1, "not running");
    }

    // ---- against the live control socket ----

    @Test
    void vanAddThenListAsTable()
    {
        assertEquals("", ok("van", "add", "5", "--name", "x").out());
        assertEquals(List.of("ID  NAME  PORTS", "5   x     0"), ok("van", "list").outLines());
    }

    @Test
    void vanListAsJsonHasNumericIds()
    {
        ok("van", "add", "5", "--name", "x");
        final Object json = Json.parse(ok("-o", "json", "van", "list").out());
        assertEquals(List.of(Map.of("id", new BigDecimal(5), "name", "x", "ports", BigDecimal.ZERO)), json);
        assertEquals(json, Json.parse(ok("van", "list", "-o", "json").out()), "-o after the subcommand too");
    }

    @Test
    void socketOptionWorksBeforeAndAfterTheSubcommand()
    {
        ok("van", "add", "5");
        final Result before = vanctl("--socket", socket, "van", "list");
        final Result middle = vanctl("van", "--socket", socket, "list");
        final Result after = vanctl("van", "list", "--socket", socket);
        for (final Result result : List.of(before, middle, after))
        {
            assertEquals(0, result.exit(), result::toString);
            assertEquals(List.of("ID  NAME  PORTS", "5         0"), result.outLines());
        }
    }

    @Test
    void daemonErrorsAreOneLineWithExitOne()
    {
        ok("van", "add", "5");
        assertOneErrorLine(vanctl("--socket", socket, "van", "add", "5"), 1, "VAN 5 already exists");
        assertOneErrorLine(vanctl("--socket", socket, "port", "add", "p1", "--van", "9", "--tap", "t0"), 1, "unknown VAN 9");
        sw.driver.failFor("p2", "rte_dev_probe(net_tap_p2): Operation not permitted");
        assertOneErrorLine(vanctl("--socket", socket, "port", "add", "p2", "--van", "5", "--tap", "t2"), 1,
            "rte_dev_probe(net_tap_p2): Operation not permitted");
    }

    @Test
    void portAddListDel()
    {
        ok("van", "add", "5");
        ok("port", "add", "vm1", "--van", "5", "--vhost-user", dir.resolve("vm1.sock").toString(), "--client",
            "--mac", "52:54:00:00:00:01");
        final List<?> ports = (List<?>)Json.parse(ok("-o", "json", "port", "list").out());
        final Map<?, ?> port = (Map<?, ?>)ports.getFirst();
        assertEquals("vm1", port.get("name"));
        assertEquals("vhost-user-client", port.get("type"));
        assertEquals(dir.resolve("vm1.sock").toString(), port.get("target"));
        assertEquals("52:54:00:00:00:01", port.get("mac"));

        ok("port", "del", "vm1");
        assertEquals(List.of("(none)"), ok("port", "list").outLines());
    }

    @Test
    void statsAsJsonHasPortsVansAndPmds()
    {
        ok("van", "add", "5");
        ok("port", "add", "t1", "--van", "5", "--tap", "vt1");
        final Object json = Json.parse(ok("stats", "-o", "json").out());
        final Map<?, ?> stats = assertInstanceOf(Map.class, json);
        assertEquals(List.of("ports", "vans", "pmds", "jvms"), List.copyOf(stats.keySet()));
        final List<?> ports = assertInstanceOf(List.class, stats.get("ports"));
        assertEquals("t1", ((Map<?, ?>)ports.getFirst()).get("name"));
        assertEquals(BigDecimal.ZERO, ((Map<?, ?>)ports.getFirst()).get("rx_packets"));
        final List<?> vans = assertInstanceOf(List.class, stats.get("vans"));
        assertEquals(new BigDecimal(5), ((Map<?, ?>)vans.getFirst()).get("id"));
        final List<?> pmds = assertInstanceOf(List.class, stats.get("pmds"));
        assertEquals(1, pmds.size());
        assertInstanceOf(BigDecimal.class, ((Map<?, ?>)pmds.getFirst()).get("busy_pct"));
    }

    @Test
    void statsAsTableHasOneSectionPerKind()
    {
        ok("van", "add", "5");
        final List<String> lines = ok("stats").outLines();
        assertTrue(lines.contains("VANS") && lines.contains("PMDS"), lines::toString);
    }
}
