package io.vanswitch.control.federation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The listener thread: binds (and keeps retrying while the address is not yet on an interface), accepts
 * TCP connections for the manager to vet, and every tick sweeps the sessions for silent peers. Accepting
 * with a short timeout keeps the tick going and lets close() end the thread promptly.
 */
final class Listener
{
    private static final int TICK_MS = 100;
    private static final int BACKLOG = 64;

    private final ProxySessions manager;
    private final InetSocketAddress bindAddress;
    private final Backoff backoff;

    Listener(final ProxySessions manager, final InetSocketAddress bindAddress, final ProxySessions.Settings settings)
    {
        this.manager = manager;
        this.bindAddress = bindAddress;
        this.backoff = new Backoff(settings.backoffInitialMs(), settings.backoffMaxMs());
    }

    void run()
    {
        ServerSocket server = null;
        long nextBindNs = System.nanoTime();
        try
        {
            while (manager.running())
            {
                if (null == server && System.nanoTime() - nextBindNs >= 0)
                {
                    server = bind();
                    if (null == server)
                    {
                        nextBindNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.next());
                    }
                }
                if (null != server)
                {
                    try
                    {
                        final Socket plain = server.accept();
                        plain.setTcpNoDelay(true);
                        manager.accepted(plain);
                    }
                    catch (final SocketTimeoutException ex)
                    {
                        // a tick without a connection
                    }
                    catch (final IOException ex)
                    {
                        if (manager.running())
                        {
                            manager.listening(false, "accept on " + bindAddress + " failed: " +
                                PemCredentials.oneLine(ex) + " (binding again)");
                            ProxySessions.closeQuietly(server);
                            manager.untrack(server);
                            server = null;
                        }
                    }
                }
                else
                {
                    sleepTick();
                }
                manager.sweep();
            }
        }
        finally
        {
            if (null != server)
            {
                ProxySessions.closeQuietly(server);
                manager.untrack(server);
            }
            manager.listening(false, null);
        }
    }

    private ServerSocket bind()
    {
        ServerSocket server = null;
        try
        {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(bindAddress, BACKLOG);
            server.setSoTimeout(TICK_MS);
            manager.track(server);
            manager.listening(true, null);
            backoff.reset();
            return server;
        }
        catch (final IOException ex)
        {
            if (null != server)
            {
                ProxySessions.closeQuietly(server);
            }
            manager.listening(false, "cannot listen on " + bindAddress + ": " + PemCredentials.oneLine(ex) +
                " (retrying: is the address configured on an interface?)");
            return null;
        }
    }

    private static void sleepTick()
    {
        try
        {
            Thread.sleep(TICK_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt(); // close(): the loop sees running is false
        }
    }
}
