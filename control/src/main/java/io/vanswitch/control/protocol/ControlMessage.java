package io.vanswitch.control.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the control protocol (docs/control-protocol.md): a word followed by tab-separated
 * {@code key=value} fields. Requests use the command as the word ({@code port-add}), responses
 * {@code row}, {@code ok} or {@code error}. Values escape {@code %}, tab, CR and LF as {@code %25},
 * {@code %09}, {@code %0D}, {@code %0A}, so any text survives one line.
 */
public final class ControlMessage
{
    public static final int MAX_LINE_LENGTH = 64 * 1024;

    private final String word;
    private final Map<String, String> fields;

    public ControlMessage(final String word, final Map<String, String> fields)
    {
        this.word = word;
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static ControlMessage of(final String word, final String... keyValues)
    {
        if (keyValues.length % 2 != 0)
        {
            throw new IllegalArgumentException("keyValues must be pairs");
        }
        final Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            if (null != keyValues[i + 1])
            {
                fields.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return new ControlMessage(word, fields);
    }

    public String word()
    {
        return word;
    }

    public Map<String, String> fields()
    {
        return fields;
    }

    public String get(final String key)
    {
        return fields.get(key);
    }

    public String encode()
    {
        final StringBuilder sb = new StringBuilder(word);
        for (final Map.Entry<String, String> field : fields.entrySet())
        {
            sb.append('\t').append(field.getKey()).append('=').append(escape(field.getValue()));
        }
        return sb.toString();
    }

    /**
     * @throws ProtocolException when the line is not a well-formed message.
     */
    public static ControlMessage decode(final String line)
    {
        if (line.isEmpty())
        {
            throw new ProtocolException("empty message");
        }
        if (line.length() > MAX_LINE_LENGTH)
        {
            throw new ProtocolException("message longer than " + MAX_LINE_LENGTH + " characters");
        }
        final String[] parts = line.split("\t", -1);
        final String word = parts[0];
        if (!isWord(word))
        {
            throw new ProtocolException("malformed message: expected a command word, got '" + printable(word) + "'");
        }
        final Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++)
        {
            final int eq = parts[i].indexOf('=');
            if (eq <= 0)
            {
                throw new ProtocolException("malformed field '" + printable(parts[i]) + "': expected key=value");
            }
            final String key = parts[i].substring(0, eq);
            if (!isWord(key))
            {
                throw new ProtocolException("malformed field name '" + printable(key) + "'");
            }
            if (null != fields.put(key, unescape(parts[i].substring(eq + 1))))
            {
                throw new ProtocolException("field '" + key + "' given twice");
            }
        }
        return new ControlMessage(word, fields);
    }

    private static boolean isWord(final String s)
    {
        if (s.isEmpty() || s.length() > 64)
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    static String escape(final String value)
    {
        final StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '%' -> sb.append("%25");
                case '\t' -> sb.append("%09");
                case '\n' -> sb.append("%0A");
                case '\r' -> sb.append("%0D");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String unescape(final String value)
    {
        if (value.indexOf('%') < 0)
        {
            return value;
        }
        final StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '%')
            {
                if (i + 2 >= value.length())
                {
                    throw new ProtocolException("truncated escape in '" + printable(value) + "'");
                }
                final int hi = Character.digit(value.charAt(i + 1), 16);
                final int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0)
                {
                    throw new ProtocolException("bad escape in '" + printable(value) + "'");
                }
                sb.append((char)((hi << 4) | lo));
                i += 2;
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Shortens and sanitises untrusted text for an error message. */
    public static String printable(final String s)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 40; i++)
        {
            final char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        if (s.length() > 40)
        {
            sb.append("...");
        }
        return sb.toString();
    }

    public String toString()
    {
        return encode();
    }
}
