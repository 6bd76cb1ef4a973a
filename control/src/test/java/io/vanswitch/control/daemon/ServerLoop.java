package io.vanswitch.control.daemon;

import io.vanswitch.control.protocol.ControlMessage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A {@link ControlServer} polled from a background thread, as the control agent does. Closing
 * stops the thread, then closes the server.
 */
public final class ServerLoop implements AutoCloseable
{
    public final ControlServer server;
    private final Thread thread;
    private volatile boolean running = true;

    public ServerLoop(final Path socketPath, final Function<String, List<ControlMessage>> handler) throws IOException
    {
        server = new ControlServer(socketPath);
        thread = new Thread(() ->
        {
            while (running)
            {
                if (server.poll(handler) == 0)
                {
                    LockSupport.parkNanos(200_000);
                }
            }
        }, "test-control-server");
        thread.setDaemon(true);
        thread.start();
    }

    public void close() throws InterruptedException
    {
        if (!running)
        {
            return;
        }
        running = false;
        thread.join(5_000);
        server.close();
    }
}
