package io.vanswitch.control.it;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Poll-with-deadline: the integration tests' only way to wait for something to happen.
 */
public final class Await
{
    private Await()
    {
    }

    public static void until(final String what, final long timeoutMs, final BooleanSupplier condition)
    {
        until(what, timeoutMs, condition, () -> "");
    }

    public static void until(final String what, final long timeoutMs, final BooleanSupplier condition, final Supplier<String> context)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + "\n" + context.get());
            }
            Daemon.pause(50);
        }
    }
}
