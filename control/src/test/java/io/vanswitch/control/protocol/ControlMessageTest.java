package io.vanswitch.control.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlMessageTest
{
    @Test
    void awkwardValuesSurviveOneLine()
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        fields.put("tab", "a\tb");
        fields.put("newline", "line1\nline2\r\n");
        fields.put("percent", "100% %25 %zz %");
        fields.put("equals", "k=v=w");
        fields.put("unicode", "grüße \u4e16\u754c \uD83D\uDE00");
        fields.put("empty", "");
        final ControlMessage message = new ControlMessage("port-add", fields);

        final String line = message.encode();
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        assertEquals(fields.size(), line.chars().filter(c -> c == '\t').count(), "one tab per field: " + line);

        final ControlMessage decoded = ControlMessage.decode(line);
        assertEquals("port-add", decoded.word());
        assertEquals(fields, decoded.fields());
        assertEquals(List.copyOf(fields.keySet()), List.copyOf(decoded.fields().keySet()), "field order kept");
    }

    @Test
    void bareWordAndNullValuesAreOmitted()
    {
        assertEquals("ok", ControlMessage.of("ok").encode());
        assertEquals("van-add\tid=5", ControlMessage.of("van-add", "id", "5", "name", null).encode());
        assertEquals(Map.of(), ControlMessage.decode("ping").fields());
    }

    static Stream<Arguments> malformed()
    {
        return Stream.of(
            Arguments.of("", "empty"),
            Arguments.of("Van-Add\tid=1", "command word"),
            Arguments.of("van add", "command word"),
            Arguments.of("\u0000\u0001\u00ff", "command word"),
            Arguments.of("van-add\tid", "expected key=value"),
            Arguments.of("van-add\t=5", "expected key=value"),
            Arguments.of("van-add\t", "expected key=value"),
            Arguments.of("van-add\tI D=5", "field name"),
            Arguments.of("van-add\tid=1\tid=2", "given twice"),
            Arguments.of("van-add\tname=%zz", "bad escape"),
            Arguments.of("van-add\tname=%4", "truncated escape"),
            Arguments.of("van-add\tname=abc%", "truncated escape"),
            Arguments.of("van-add\tname=" + "x".repeat(ControlMessage.MAX_LINE_LENGTH), "longer than"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedLinesAreRejectedWithAReason(final String line, final String reason)
    {
        final ProtocolException ex = assertThrows(ProtocolException.class, () -> ControlMessage.decode(line));
        assertTrue(ex.getMessage().contains(reason), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
        assertTrue(ex.getMessage().length() < 200, "short: " + ex.getMessage());
    }

    @Test
    void printableSanitisesAndShortensUntrustedText()
    {
        assertEquals("a?b?", ControlMessage.printable("a\nb\u00e9"));
        final String shortened = ControlMessage.printable("y".repeat(1000));
        assertEquals("y".repeat(40) + "...", shortened);
    }
}
