package io.vanswitch.control.federation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Plays the conductor for a test: polls a manager and keeps every event, and waits for one with a
 * deadline rather than sleeping for a guessed time.
 */
final class Events
{
    private final String name;
    private final ProxySessions sessions;
    private final List<SessionEvent> seen = new ArrayList<>();
    private int next;

    Events(final String name, final ProxySessions sessions)
    {
        this.name = name;
        this.sessions = sessions;
    }

    /** Waits for the next event of that type that matches, after those already awaited. */
    <T extends SessionEvent> T await(final Class<T> type, final Predicate<T> matching, final Duration timeout)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            sessions.poll(seen::add);
            while (next < seen.size())
            {
                final SessionEvent event = seen.get(next++);
                if (type.isInstance(event) && matching.test(type.cast(event)))
                {
                    return type.cast(event);
                }
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                return fail(name + ": no " + type.getSimpleName() + " within " + timeout + "; events: " + seen);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    <T extends SessionEvent> T await(final Class<T> type, final Duration timeout)
    {
        return await(type, event -> true, timeout);
    }

    /** Polls for a while and returns everything seen, for checking what did not happen. */
    List<SessionEvent> drainFor(final Duration period)
    {
        final long deadlineNs = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - deadlineNs < 0)
        {
            sessions.poll(seen::add);
            LockSupport.parkNanos(1_000_000);
        }
        sessions.poll(seen::add);
        return List.copyOf(seen);
    }

    List<SessionEvent> all()
    {
        sessions.poll(seen::add);
        return List.copyOf(seen);
    }
}
