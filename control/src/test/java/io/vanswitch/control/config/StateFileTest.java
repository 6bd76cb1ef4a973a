package io.vanswitch.control.config;

import io.vanswitch.dataplane.frame.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateFileTest
{
    private static final String HEADER = "# vanswitch state v1\n";

    @TempDir
    Path dir;

    static SwitchConfig everyKindOfEntry()
    {
        return new SwitchConfig(
            List.of(new VanSpec(1, "blue"), new VanSpec(VanSpec.MAX_ID, null)),
            List.of(
                new PortSpec("vm1", 1, PortType.VHOST_USER, "/run/vanswitch/vm1.sock", false, MacAddress.NONE),
                new PortSpec("vm2", 1, PortType.VHOST_USER, "/run/vanswitch/vm2.sock", true, 0x525400000002L),
                new PortSpec("host", VanSpec.MAX_ID, PortType.TAP, "vtap0", false, 0x02aabbccddeeL),
                new PortSpec("uplink", VanSpec.MAX_ID, PortType.DEVARGS, "net_af_packet0,iface=eth1", false, MacAddress.NONE)));
    }

    @Test
    void writeThenReadGivesTheSameConfig()
    {
        final StateFile stateFile = new StateFile(dir);
        final SwitchConfig config = everyKindOfEntry();
        stateFile.write(config);
        assertEquals(config, new StateFile(dir).read());
    }

    @Test
    void missingFileIsAnEmptyConfigAndIsNotCreated()
    {
        final StateFile stateFile = new StateFile(dir.resolve("not-yet"));
        assertSame(SwitchConfig.EMPTY, stateFile.read());
        assertFalse(Files.exists(stateFile.path()));
    }

    @Test
    void writeCreatesTheStateDirectory()
    {
        final StateFile stateFile = new StateFile(dir.resolve("var/lib/vanswitch"));
        stateFile.write(everyKindOfEntry());
        assertEquals(everyKindOfEntry(), stateFile.read());
    }

    @Test
    void writeReplacesTheFileWholeAndLeavesNoTemporary() throws IOException
    {
        final StateFile stateFile = new StateFile(dir);
        stateFile.write(everyKindOfEntry());
        final SwitchConfig smaller = new SwitchConfig(List.of(new VanSpec(2, null)), List.of());
        stateFile.write(smaller);

        assertEquals(smaller, stateFile.read());
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(List.of(StateFile.FILE_NAME), files.map(p -> p.getFileName().toString()).toList());
        }
        final List<String> lines = Files.readAllLines(stateFile.path());
        assertTrue(lines.getFirst().startsWith("#"), "a header says what the file is: " + lines);
        assertEquals(List.of("van-add\tid=2"), lines.subList(1, lines.size()));
    }

    @Test
    void commentsAndBlankLinesAreSkipped() throws IOException
    {
        Files.writeString(dir.resolve(StateFile.FILE_NAME), HEADER + "\n# a note\nvan-add\tid=4\n  \n");
        assertEquals(new SwitchConfig(List.of(new VanSpec(4, null)), List.of()), new StateFile(dir).read());
    }

    static Stream<Arguments> corruptFiles()
    {
        return Stream.of(
            Arguments.of("garbage", HEADER + "van-add\tid=1\nthis is not a request\n", 3, "command word"),
            Arguments.of("unknown entry", HEADER + "van-add\tid=1\nbridge-add\tid=2\n", 3, "unknown entry 'bridge-add'"),
            Arguments.of("bad value", HEADER + "van-add\tid=0\n", 2, "bad VAN id 0"),
            Arguments.of("undefined VAN", HEADER + "van-add\tid=1\nport-add\tname=p1\tvan=1\ttype=tap\ttarget=t1\n" +
                "port-add\tname=p2\tvan=7\ttype=tap\ttarget=t2\n", 4, "bound to VAN 7, which is not defined"),
            Arguments.of("duplicate port", HEADER + "van-add\tid=1\nport-add\tname=p1\tvan=1\ttype=tap\ttarget=t1\n" +
                "port-add\tname=p1\tvan=1\ttype=tap\ttarget=t2\n", 4, "port p1 is defined twice"),
            Arguments.of("duplicate VAN", HEADER + "van-add\tid=1\nvan-add\tid=2\nvan-add\tid=1\n", 4, "VAN 1 is defined twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void corruptFileIsReportedWithItsLineAndNeverOverwritten(
        final String label, final String content, final int line, final String reason) throws IOException
    {
        final Path file = dir.resolve(StateFile.FILE_NAME);
        Files.writeString(file, content);
        final byte[] before = Files.readAllBytes(file);

        final StateFileException ex = assertThrows(StateFileException.class, () -> new StateFile(dir).read());
        assertTrue(ex.getMessage().contains(file.toString()), "names the file: " + ex.getMessage());
        assertTrue(ex.getMessage().contains("line " + line + ":"), "names line " + line + ": " + ex.getMessage());
        assertTrue(ex.getMessage().contains(reason), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file), "the corrupt file is left as it was");
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(1, files.count(), "nothing written beside it");
        }
    }

    @Test
    void invalidUtf8IsReportedNamingTheFile() throws IOException
    {
        final Path file = dir.resolve(StateFile.FILE_NAME);
        Files.write(file, new byte[] {'v', 'a', 'n', '-', 'a', 'd', 'd', '\t', 'i', 'd', '=', '1', (byte)0xff, '\n'});
        final StateFileException ex = assertThrows(StateFileException.class, () -> new StateFile(dir).read());
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertEquals(14, Files.readAllBytes(file).length);
        assertEquals("van-add\tid=1", new String(Files.readAllBytes(file), 0, 12, StandardCharsets.UTF_8));
    }
}
