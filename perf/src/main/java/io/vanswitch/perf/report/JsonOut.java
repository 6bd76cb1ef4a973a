package io.vanswitch.perf.report;

/**
 * A small streaming JSON writer, so that the report needs no JSON library: indented two spaces, one member per
 * line, except containers begun {@code inline} (short rows of values), which stay on one line with everything in
 * them. The caller keeps the structure balanced; this class keeps commas, indentation and escaping right.
 */
final class JsonOut
{
    private static final int MAX_DEPTH = 32;

    private final StringBuilder out = new StringBuilder();
    private final boolean[] empty = new boolean[MAX_DEPTH];
    private final boolean[] inline = new boolean[MAX_DEPTH];
    private int depth;
    private boolean afterKey;

    JsonOut beginObject(final boolean oneLine)
    {
        return begin('{', oneLine);
    }

    JsonOut endObject()
    {
        return end('}');
    }

    JsonOut beginArray(final boolean oneLine)
    {
        return begin('[', oneLine);
    }

    JsonOut endArray()
    {
        return end(']');
    }

    JsonOut key(final String key)
    {
        separate();
        quote(key, out);
        out.append(": ");
        afterKey = true;
        return this;
    }

    JsonOut string(final String value)
    {
        beforeValue();
        if (null == value)
        {
            out.append("null");
        }
        else
        {
            quote(value, out);
        }
        return this;
    }

    /**
     * @param number the text of a JSON number (see {@link Numbers}), or "null".
     */
    JsonOut number(final String number)
    {
        beforeValue();
        out.append(number);
        return this;
    }

    JsonOut member(final String key, final String value)
    {
        return key(key).string(value);
    }

    String text()
    {
        if (depth != 0)
        {
            throw new IllegalStateException("unbalanced JSON: " + depth + " containers open");
        }
        return out.append('\n').toString();
    }

    /** RFC 8259 string escaping; U+2028 and U+2029 too, so that the text is also a valid JavaScript literal. */
    static void quote(final String s, final StringBuilder sb)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default ->
                {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private JsonOut begin(final char open, final boolean oneLine)
    {
        beforeValue();
        if (depth + 1 >= MAX_DEPTH)
        {
            throw new IllegalStateException("JSON nested too deep");
        }
        out.append(open);
        depth++;
        empty[depth] = true;
        inline[depth] = oneLine || inline[depth - 1];
        return this;
    }

    private JsonOut end(final char close)
    {
        if (depth == 0)
        {
            throw new IllegalStateException("unbalanced JSON: nothing to close with " + close);
        }
        final boolean wasEmpty = empty[depth];
        final boolean wasInline = inline[depth];
        depth--;
        if (!wasEmpty && !wasInline)
        {
            newline();
        }
        out.append(close);
        return this;
    }

    private void beforeValue()
    {
        if (afterKey)
        {
            afterKey = false;
        }
        else if (depth > 0)
        {
            separate();
        }
    }

    private void separate()
    {
        if (!empty[depth])
        {
            out.append(',');
            if (inline[depth])
            {
                out.append(' ');
            }
        }
        empty[depth] = false;
        if (!inline[depth])
        {
            newline();
        }
    }

    private void newline()
    {
        out.append('\n').append("  ".repeat(depth));
    }
}
