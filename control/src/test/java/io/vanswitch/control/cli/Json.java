package io.vanswitch.control.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser for checking vanctl's output (RFC 8259): objects become maps, arrays lists,
 * numbers BigDecimal. Anything not valid JSON throws IllegalArgumentException.
 */
final class Json
{
    private final String text;
    private int at;

    private Json(final String text)
    {
        this.text = text;
    }

    static Object parse(final String text)
    {
        final Json json = new Json(text);
        final Object value = json.value();
        json.skipSpace();
        if (json.at != text.length())
        {
            throw json.fail("trailing text");
        }
        return value;
    }

    private IllegalArgumentException fail(final String what)
    {
        return new IllegalArgumentException(what + " at offset " + at + " in " + text);
    }

    private void skipSpace()
    {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0)
        {
            at++;
        }
    }

    private char peek()
    {
        skipSpace();
        if (at >= text.length())
        {
            throw fail("unexpected end");
        }
        return text.charAt(at);
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw fail("expected '" + c + "'");
        }
        at++;
    }

    private Object value()
    {
        final char c = peek();
        return switch (c)
        {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, at))
        {
            throw fail("bad literal");
        }
        at += word.length();
        return value;
    }

    private Map<String, Object> object()
    {
        expect('{');
        final Map<String, Object> map = new LinkedHashMap<>();
        if (peek() == '}')
        {
            at++;
            return map;
        }
        while (true)
        {
            if (peek() != '"')
            {
                throw fail("expected a key");
            }
            final String key = string();
            if (map.containsKey(key))
            {
                throw fail("duplicate key " + key);
            }
            expect(':');
            map.put(key, value());
            if (peek() == ',')
            {
                at++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array()
    {
        expect('[');
        final List<Object> list = new ArrayList<>();
        if (peek() == ']')
        {
            at++;
            return list;
        }
        while (true)
        {
            list.add(value());
            if (peek() == ',')
            {
                at++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (at >= text.length())
            {
                throw fail("unterminated string");
            }
            final char c = text.charAt(at++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw fail("raw control character in string");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = text.charAt(at++);
            switch (e)
            {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' ->
                {
                    sb.append((char)Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw fail("bad escape \\" + e);
            }
        }
    }

    private BigDecimal number()
    {
        final int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0)
        {
            at++;
        }
        final String n = text.substring(start, at);
        if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))
        {
            at = start;
            throw fail("bad value");
        }
        return new BigDecimal(n);
    }
}
