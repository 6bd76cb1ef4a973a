package io.vanswitch.control.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs ip(8), ethtool(8) or tc(8) on the control thread, for the kernel interfaces the switch owns (a
 * proxy's kernel interface, a veth port's pair and its kernel fast path rules). Configuration-time
 * only, never on the packet path.
 */
final class KernelCommand
{
    private KernelCommand()
    {
    }

    /**
     * @return the command's output (stdout and stderr).
     * @throws IllegalStateException with the command and its output when it fails or cannot run.
     */
    static String run(final String... command)
    {
        return runWithInput(null, command);
    }

    /**
     * Runs the command with {@code input} (or nothing) on its standard input, as {@link #run} does.
     */
    static String runWithInput(final String input, final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream())
            {
                if (null != input)
                {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            final String output = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed: " + output);
            }
            return output;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run '" + String.join(" ", command) + "': " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running '" + String.join(" ", command) + "'");
        }
    }
}
