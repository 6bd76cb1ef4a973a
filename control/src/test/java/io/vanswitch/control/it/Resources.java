package io.vanswitch.control.it;

import java.util.ArrayList;
import java.util.List;

/**
 * What a multi-host test made (daemons, namespaces), closed in reverse order after it, best effort:
 * one failing close must not leave the rest behind (the next run deletes leftovers by name).
 */
public final class Resources implements AutoCloseable
{
    private final List<AutoCloseable> resources = new ArrayList<>();

    public <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    public void close()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            try
            {
                resources.get(i).close();
            }
            catch (final Exception ignore)
            {
                // best effort
            }
        }
        resources.clear();
    }
}
