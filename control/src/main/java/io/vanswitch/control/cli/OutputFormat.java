package io.vanswitch.control.cli;

import io.vanswitch.control.protocol.ControlMessage;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders reply rows as an aligned table or as JSON ({@code -o json}). Rows carrying a {@code kind}
 * field (stats) are grouped by it: one table per kind, or one JSON array per kind.
 */
public enum OutputFormat
{
    table, json;

    /**
     * @param kinds the kinds a grouped reply always has (stats: port, van, pmd), so that an empty
     *              group is still printed, and present in JSON as an empty array.
     */
    public void print(final List<ControlMessage> rows, final PrintWriter out, final String... kinds)
    {
        final Map<String, List<Map<String, String>>> groups = group(rows, kinds);
        if (this == json)
        {
            out.println(groups.containsKey("") ? jsonArray(groups.get("")) : jsonGroups(groups));
            return;
        }
        boolean first = true;
        for (final Map.Entry<String, List<Map<String, String>>> group : groups.entrySet())
        {
            if (!first)
            {
                out.println();
            }
            first = false;
            if (!group.getKey().isEmpty())
            {
                out.println(group.getKey().toUpperCase() + "S");
            }
            printTable(group.getValue(), out);
        }
    }

    private static Map<String, List<Map<String, String>>> group(final List<ControlMessage> rows, final String... kinds)
    {
        final Map<String, List<Map<String, String>>> groups = new LinkedHashMap<>();
        for (final String kind : kinds)
        {
            groups.put(kind, new ArrayList<>());
        }
        for (final ControlMessage row : rows)
        {
            final Map<String, String> fields = new LinkedHashMap<>(row.fields());
            final String kind = fields.remove("kind");
            groups.computeIfAbsent(null == kind ? "" : kind, k -> new ArrayList<>()).add(fields);
        }
        if (groups.isEmpty())
        {
            groups.put("", new ArrayList<>());
        }
        return groups;
    }

    private static void printTable(final List<Map<String, String>> rows, final PrintWriter out)
    {
        if (rows.isEmpty())
        {
            out.println("(none)");
            return;
        }
        final Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        final Map<String, Integer> widths = new LinkedHashMap<>();
        for (final String column : columns)
        {
            int width = column.length();
            for (final Map<String, String> row : rows)
            {
                width = Math.max(width, row.getOrDefault(column, "").length());
            }
            widths.put(column, width);
        }
        final StringBuilder header = new StringBuilder();
        for (final String column : columns)
        {
            header.append(pad(column.toUpperCase(), widths.get(column))).append("  ");
        }
        out.println(header.toString().stripTrailing());
        for (final Map<String, String> row : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (final String column : columns)
            {
                line.append(pad(row.getOrDefault(column, ""), widths.get(column))).append("  ");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String pad(final String s, final int width)
    {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String jsonGroups(final Map<String, List<Map<String, String>>> groups)
    {
        final StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (final Map.Entry<String, List<Map<String, String>>> group : groups.entrySet())
        {
            if (!first)
            {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(escape(group.getKey() + "s")).append("\":").append(jsonArray(group.getValue()));
        }
        return sb.append('}').toString();
    }

    static String jsonArray(final List<Map<String, String>> rows)
    {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            sb.append('{');
            boolean first = true;
            for (final Map.Entry<String, String> field : rows.get(i).entrySet())
            {
                if (!first)
                {
                    sb.append(',');
                }
                first = false;
                sb.append('"').append(escape(field.getKey())).append("\":").append(jsonValue(field.getValue()));
            }
            sb.append('}');
        }
        return sb.append(']').toString();
    }

    private static String jsonValue(final String value)
    {
        if (value.matches("-?(0|[1-9][0-9]{0,17})(\\.[0-9]+)?"))
        {
            return value;
        }
        return '"' + escape(value) + '"';
    }

    private static String escape(final String s)
    {
        final StringBuilder sb = new StringBuilder();
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
                default ->
                {
                    if (c < 0x20)
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
        return sb.toString();
    }
}
