package io.vanswitch.perf.report;

/**
 * The results directory cannot be turned into a report (no results file, nothing in it, unreadable); the message is
 * one line that names the file and what to do.
 */
public final class ReportException extends RuntimeException
{
    public ReportException(final String message)
    {
        super(message);
    }
}
