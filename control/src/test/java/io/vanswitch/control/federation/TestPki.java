package io.vanswitch.control.federation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for the tests, made with the openssl CLI: CA1 signs site-a and site-b, CA2 signs a rogue.
 * EC P-256 keys in PKCS#8, as an operator would make them.
 */
public final class TestPki
{
    public final Path dir;
    public final Path ca1;
    public final Path ca2;
    /** CA2 then CA1 in one file: a rogue that trusts the real CA, so only its own certificate is wrong. */
    public final Path bothCas;

    /**
     * @param moreSites names of further leaf certificates signed by CA1 (CN = the name).
     */
    public TestPki(final Path dir, final String... moreSites) throws IOException, InterruptedException
    {
        this.dir = dir;
        Files.writeString(dir.resolve("leaf.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n");
        ca1 = ca("ca1");
        ca2 = ca("ca2");
        leaf("site-a", "ca1");
        leaf("site-b", "ca1");
        leaf("rogue", "ca2");
        for (final String site : moreSites)
        {
            leaf(site, "ca1");
        }
        bothCas = dir.resolve("both-cas.pem");
        Files.writeString(bothCas, Files.readString(ca2) + Files.readString(ca1));
    }

    public Path cert(final String name)
    {
        return dir.resolve(name + ".pem");
    }

    public Path key(final String name)
    {
        return dir.resolve(name + ".key");
    }

    PemCredentials credentials(final String name)
    {
        return PemCredentials.load(cert(name), key(name), "rogue".equals(name) ? bothCas : ca1);
    }

    private Path ca(final String name) throws IOException, InterruptedException
    {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + name);
        return dir.resolve(name + ".pem");
    }

    private void leaf(final String name, final String ca) throws IOException, InterruptedException
    {
        leaf(name, ca, 2, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    }

    /**
     * A certificate signed by the CA.
     *
     * @param days   its validity; -1 makes one that expired yesterday.
     * @param newKey openssl req's arguments for the key: "-newkey", "rsa:2048" and so on.
     */
    void leaf(final String name, final String ca, final int days, final String... newKey)
        throws IOException, InterruptedException
    {
        final List<String> request = new ArrayList<>(List.of("req", "-new"));
        request.addAll(List.of(newKey));
        request.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name));
        openssl(request.toArray(new String[0]));
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
            "-set_serial", Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)),
            "-days", Integer.toString(days), "-extfile", "leaf.ext", "-out", name + ".pem");
    }

    void openssl(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || 0 != process.exitValue())
        {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
