package io.vanswitch.control.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An interactive {@code dpdk-testpmd} with virtio-user ports: the traffic source and sink nobody
 * here wrote. Commands go to its prompt; port statistics are read back from its output.
 */
public final class Testpmd implements AutoCloseable
{
    private static final Pattern RX = Pattern.compile("RX-packets:\\s+(\\d+)");
    private static final Pattern TX = Pattern.compile("TX-packets:\\s+(\\d+)");

    private final Process process;
    private final OutputStream stdin;
    private final Path log;

    private Testpmd(final Process process, final Path log)
    {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.log = log;
    }

    /**
     * @param virtioUserArgs one devargs tail per port, e.g. {@code path=/x.sock,queues=1}.
     * @param forwardMode    txonly, rxonly, macswap, io...
     */
    public static Testpmd start(final Path dir, final String prefix, final String forwardMode, final List<String> virtioUserArgs,
        final String... extraAppArgs)
    {
        final List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "dpdk-testpmd", "-l", "0,1", "--main-lcore=1", "--no-pci",
            "--single-file-segments", "--in-memory", "--file-prefix=" + prefix, "-m", "128", "--log-level=*:notice"));
        for (int i = 0; i < virtioUserArgs.size(); i++)
        {
            command.add("--vdev");
            command.add("net_virtio_user" + i + "," + virtioUserArgs.get(i));
        }
        command.addAll(List.of("--", "-i", "--total-num-mbufs=16384", "--forward-mode=" + forwardMode, "--no-lsc-interrupt",
            "--nb-cores=1"));
        command.addAll(List.of(extraAppArgs));
        final Path log = dir.resolve("testpmd-" + prefix + ".log");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            final Testpmd testpmd = new Testpmd(process, log);
            Await.until("testpmd " + prefix + " prompt", 60_000,
                () -> testpmd.output().contains("testpmd>") || !process.isAlive(), testpmd::output);
            if (!process.isAlive())
            {
                throw new IllegalStateException("testpmd " + prefix + " exited:\n" + testpmd.output());
            }
            return testpmd;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start dpdk-testpmd: " + ex.getMessage(), ex);
        }
    }

    public void command(final String line)
    {
        try
        {
            stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("testpmd is gone: " + ex.getMessage() + "\n" + output());
        }
    }

    public String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /** RX and TX packet counts of one port, from {@code show port stats}. */
    public long[] portStats(final int port)
    {
        final String marker = "NIC statistics for port " + port;
        final int before = countOccurrences(output(), marker);
        command("show port stats " + port);
        Await.until("testpmd port stats", 30_000, () ->
        {
            final String out = output();
            final int at = out.lastIndexOf(marker);
            return countOccurrences(out, marker) > before && out.indexOf("TX-packets", at) > 0;
        }, this::output);
        final String out = output();
        final String block = out.substring(out.lastIndexOf(marker));
        final Matcher rx = RX.matcher(block);
        final Matcher tx = TX.matcher(block);
        if (!rx.find() || !tx.find())
        {
            throw new IllegalStateException("cannot parse testpmd stats:\n" + block);
        }
        return new long[]{ Long.parseLong(rx.group(1)), Long.parseLong(tx.group(1)) };
    }

    private static int countOccurrences(final String text, final String what)
    {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1))
        {
            count++;
        }
        return count;
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** Ends it abruptly, as a crashed VM would. */
    public void kill()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    public void close()
    {
        if (!process.isAlive())
        {
            return;
        }
        try
        {
            command("stop");
            command("quit");
            stdin.close();
            if (!process.waitFor(20, TimeUnit.SECONDS))
            {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS))
                {
                    process.destroyForcibly().waitFor();
                }
            }
        }
        catch (final IOException | IllegalStateException ex)
        {
            process.destroyForcibly();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
