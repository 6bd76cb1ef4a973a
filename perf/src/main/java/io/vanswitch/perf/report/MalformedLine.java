package io.vanswitch.perf.report;

/**
 * A line of an input file that was skipped, with why, so that the report can say what it left out.
 *
 * @param line 1-based.
 */
public record MalformedLine(String file, int line, String reason)
{
    public String toString()
    {
        return file + " line " + line + ": " + reason;
    }
}
