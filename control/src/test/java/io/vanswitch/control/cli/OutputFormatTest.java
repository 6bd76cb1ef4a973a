package io.vanswitch.control.cli;

import io.vanswitch.control.protocol.ControlMessage;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutputFormatTest
{
    private static String print(final OutputFormat format, final ControlMessage... rows)
    {
        final StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text))
        {
            format.print(List.of(rows), out);
        }
        return text.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void tableColumnsAreAlignedToTheWidestCell()
    {
        final String table = print(OutputFormat.table,
            ControlMessage.of("row", "name", "a", "van", "100", "link", "up"),
            ControlMessage.of("row", "name", "longer-name", "van", "5", "link", "down"));
        assertEquals("""
            NAME         VAN  LINK
            a            100  up
            longer-name  5    down
            """, table);
    }

    @Test
    void missingCellsAreBlankAndEmptyTablesSaySo()
    {
        assertEquals("""
            NAME  ERROR
            ok1
            vm1   no socket
            """, print(OutputFormat.table,
            ControlMessage.of("row", "name", "ok1"),
            ControlMessage.of("row", "name", "vm1", "error", "no socket")));
        assertEquals("(none)\n", print(OutputFormat.table));
    }

    @Test
    void rowsWithAKindAreGroupedIntoOneTablePerKind()
    {
        assertEquals("""
            PORTS
            NAME
            a

            VANS
            ID
            1
            """, print(OutputFormat.table,
            ControlMessage.of("row", "kind", "port", "name", "a"),
            ControlMessage.of("row", "kind", "van", "id", "1")));
    }

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters()
    {
        final String json = print(OutputFormat.json,
            ControlMessage.of("row", "text", "say \"hi\" C:\\dir\nnext\ttab\r\u0001\u001f \u00fc"));
        assertEquals("[{\"text\":\"say \\\"hi\\\" C:\\\\dir\\nnext\\ttab\\r\\u0001\\u001f \u00fc\"}]\n", json);
        assertEquals(List.of(Map.of("text", "say \"hi\" C:\\dir\nnext\ttab\r\u0001\u001f \u00fc")), Json.parse(json));
    }

    @Test
    void jsonKeysAreEscapedToo()
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        fields.put("a\"b", "1");
        assertEquals("[{\"a\\\"b\":1}]", OutputFormat.jsonArray(List.of(fields)));
    }

    @Test
    void jsonNumbersOnlyWhenTheyAreNumbers()
    {
        final String json = print(OutputFormat.json, ControlMessage.of("row",
            "id", "5", "neg", "-3", "pct", "12.5", "zero", "0", "octal", "007", "mac", "52:54:00:00:00:01", "dash", "-",
            "huge", "123456789012345678901234567890", "empty", ""));
        final Map<?, ?> row = (Map<?, ?>)((List<?>)Json.parse(json)).getFirst();
        assertEquals(new BigDecimal("5"), row.get("id"));
        assertEquals(new BigDecimal("-3"), row.get("neg"));
        assertEquals(new BigDecimal("12.5"), row.get("pct"));
        assertEquals(new BigDecimal("0"), row.get("zero"));
        assertEquals("007", row.get("octal"));
        assertEquals("52:54:00:00:00:01", row.get("mac"));
        assertEquals("-", row.get("dash"));
        assertEquals("123456789012345678901234567890", row.get("huge"));
        assertEquals("", row.get("empty"));
    }

    @Test
    void jsonShapes()
    {
        assertEquals("[]\n", print(OutputFormat.json));
        assertEquals(Map.of("ports", List.of(Map.of("name", "a")), "vans", List.of(Map.of("id", BigDecimal.ONE))),
            Json.parse(print(OutputFormat.json,
                ControlMessage.of("row", "kind", "port", "name", "a"),
                ControlMessage.of("row", "kind", "van", "id", "1"))));
    }
}
