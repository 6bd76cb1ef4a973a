package io.vanswitch.control.federation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class PemCredentialsTest
{
    @TempDir
    static Path dir;
    private static TestPki pki;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        pki = new TestPki(dir);
    }

    @Test
    void loadsAChainKeyAndCaThatBelongTogether()
    {
        final PemCredentials credentials = pki.credentials("site-a");

        assertEquals("CN=site-a", credentials.subject());
        assertTrue(credentials.notAfter().isAfter(Instant.now()));
        assertEquals("EC", credentials.privateKey().getAlgorithm());
        assertEquals(1, credentials.authorities().size());
        assertEquals("TLSv1.3", TlsContexts.create(credentials).getProtocol());
    }

    @Test
    void rsaAndEd25519KeysLoadToo() throws Exception
    {
        pki.leaf("site-rsa", "ca1", 2, "-newkey", "rsa:2048");
        pki.leaf("site-ed", "ca1", 2, "-newkey", "ed25519");

        assertEquals("RSA", pki.credentials("site-rsa").privateKey().getAlgorithm());
        assertEquals("CN=site-ed", pki.credentials("site-ed").subject());
        assertTrue(failure(pki.cert("site-ed"), pki.key("site-rsa"), pki.ca1).contains(" does not match certificate "));
    }

    @Test
    void expiredCertificateSaysWhen() throws Exception
    {
        pki.leaf("expired", "ca1", -1, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        final Instant notAfter = PemCredentialsTest.notAfter(pki.cert("expired"));

        final String message = failure(pki.cert("expired"), pki.key("expired"), pki.ca1);

        assertEquals("certificate " + pki.cert("expired") + " (CN=expired) expired on " + notAfter + ": renew it", message);
    }

    @Test
    void missingFileIsNamed()
    {
        final Path missing = dir.resolve("nowhere.pem");

        final String message = failure(missing, pki.key("site-a"), pki.ca1);

        assertEquals("certificate file " + missing + ": no such file", message);
    }

    @Test
    void traditionalKeyIsRejectedWithTheConversionCommand() throws Exception
    {
        pki.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "traditional.key");
        final Path key = dir.resolve("traditional.key");

        final String message = failure(pki.cert("site-a"), key, pki.ca1);

        assertEquals("key file " + key + ": \"BEGIN EC PRIVATE KEY\" is not PKCS#8: convert it with " +
            "openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key-pkcs8.pem", message);
    }

    @Test
    void keyOfAnotherCertificateDoesNotMatch()
    {
        final String message = failure(pki.cert("site-a"), pki.key("site-b"), pki.ca1);

        assertTrue(message.startsWith("key file " + pki.key("site-b") + " does not match certificate " +
            pki.cert("site-a") + " (CN=site-a)"), message);
    }

    @Test
    void certificateFromAnotherCaIsCaughtAtLoad()
    {
        final String message = failure(pki.cert("rogue"), pki.key("rogue"), pki.ca1);

        assertTrue(message.startsWith("certificate " + pki.cert("rogue") + " (CN=rogue) is not signed by the CA in " +
            pki.ca1), message);
    }

    @Test
    void fileWithoutCertificateSaysWhatItFound()
    {
        final String message = failure(pki.key("site-a"), pki.key("site-a"), pki.ca1);

        assertTrue(message.startsWith("certificate file " + pki.key("site-a") +
            ": no \"BEGIN CERTIFICATE\" block (found \"BEGIN PRIVATE KEY\")"), message);
    }

    @Test
    void unreadableKeyIsNamed() throws Exception
    {
        final Path key = dir.resolve("locked.key");
        Files.copy(pki.key("site-a"), key);
        assertTrue(key.toFile().setReadable(false, false));
        try
        {
            // root reads anything: then there is nothing to check here
            assumeFalse(Files.isReadable(key), "running as root");
            assertEquals("key file " + key + ": not readable (permission denied)",
                failure(pki.cert("site-a"), key, pki.ca1));
        }
        finally
        {
            key.toFile().setReadable(true, false);
        }
    }

    private static Instant notAfter(final Path cert) throws Exception
    {
        try (InputStream in = Files.newInputStream(cert))
        {
            return ((X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in)).getNotAfter().toInstant();
        }
    }

    private static String failure(final Path cert, final Path key, final Path ca)
    {
        final FederationConfigException ex =
            assertThrows(FederationConfigException.class, () -> PemCredentials.load(cert, key, ca));
        final String message = ex.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        return message;
    }
}
