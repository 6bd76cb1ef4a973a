package io.vanswitch.control.federation;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A proxy's TLS credentials from PEM files: its certificate chain, its private key (PKCS#8) and the CA
 * certificates it trusts. {@link #load} checks everything a handshake would need, so a misconfiguration
 * is reported when the proxy is enabled rather than at the first handshake, in one line naming the file.
 */
public final class PemCredentials
{
    private static final String[] KEY_ALGORITHMS = { "RSA", "EC", "Ed25519" };

    private final X509Certificate[] chain;
    private final PrivateKey privateKey;
    private final List<X509Certificate> authorities;

    private PemCredentials(
        final X509Certificate[] chain, final PrivateKey privateKey, final List<X509Certificate> authorities)
    {
        this.chain = chain;
        this.privateKey = privateKey;
        this.authorities = authorities;
    }

    /**
     * @param cert the proxy's certificate, optionally followed by intermediate CA certificates.
     * @param key  the certificate's private key, unencrypted PKCS#8 ("BEGIN PRIVATE KEY").
     * @param ca   the CA certificate(s) that sign every proxy's certificate: the only ones trusted.
     * @throws FederationConfigException naming the file and what to do.
     */
    public static PemCredentials load(final Path cert, final Path key, final Path ca)
    {
        final PemFile certFile = PemFile.read("certificate file", cert);
        final PemFile keyFile = PemFile.read("key file", key);
        final PemFile caFile = PemFile.read("CA file", ca);

        final X509Certificate[] chain = certificates(certFile).toArray(new X509Certificate[0]);
        final List<X509Certificate> authorities = certificates(caFile);
        final PrivateKey privateKey = privateKey(keyFile);

        final X509Certificate leaf = chain[0];
        final String leafName = "certificate " + cert + " (" + subjectOf(leaf) + ")";
        for (final X509Certificate certificate : chain)
        {
            checkValidity(certificate == leaf ? leafName :
                "certificate " + subjectOf(certificate) + " in " + cert, certificate);
        }
        for (final X509Certificate authority : authorities)
        {
            checkValidity("CA certificate " + subjectOf(authority) + " in " + ca, authority);
        }
        if (!keyMatches(privateKey, leaf.getPublicKey()))
        {
            throw new FederationConfigException("key file " + key + " does not match certificate " + cert +
                " (" + subjectOf(leaf) + "): give the key the certificate was made for");
        }
        if (!chainsTo(chain, authorities))
        {
            throw new FederationConfigException(leafName + " is not signed by the CA in " + ca +
                ": use a certificate that CA signed, or that CA's certificate");
        }
        return new PemCredentials(chain, privateKey, authorities);
    }

    /** The proxy's certificate first, then any intermediates. */
    public X509Certificate[] chain()
    {
        return chain.clone();
    }

    public PrivateKey privateKey()
    {
        return privateKey;
    }

    /** The CA certificates trusted for peers. */
    public List<X509Certificate> authorities()
    {
        return authorities;
    }

    public String subject()
    {
        return subjectOf(chain[0]);
    }

    public Instant notAfter()
    {
        return chain[0].getNotAfter().toInstant();
    }

    static String subjectOf(final X509Certificate certificate)
    {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    private static List<X509Certificate> certificates(final PemFile file)
    {
        final List<byte[]> blocks = file.withLabel("CERTIFICATE");
        if (blocks.isEmpty())
        {
            throw file.error(file.blocks().isEmpty() ?
                "no \"BEGIN CERTIFICATE\" block: give a PEM certificate" :
                "no \"BEGIN CERTIFICATE\" block (found \"BEGIN " + file.blocks().get(0).label() +
                "\"): give a PEM certificate");
        }
        final List<X509Certificate> certificates = new ArrayList<>(blocks.size());
        try
        {
            final CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (int i = 0; i < blocks.size(); i++)
            {
                try
                {
                    certificates.add((X509Certificate)factory.generateCertificate(new ByteArrayInputStream(blocks.get(i))));
                }
                catch (final GeneralSecurityException ex)
                {
                    throw file.error("certificate " + (i + 1) + " cannot be parsed (" + oneLine(ex) + ")");
                }
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw file.error("X.509 is not available in this JVM (" + oneLine(ex) + ")");
        }
        return List.copyOf(certificates);
    }

    private static PrivateKey privateKey(final PemFile file)
    {
        final List<byte[]> keys = file.withLabel("PRIVATE KEY");
        if (keys.isEmpty())
        {
            for (final PemFile.Block block : file.blocks())
            {
                if (block.label().equals("ENCRYPTED PRIVATE KEY"))
                {
                    throw file.error("\"BEGIN ENCRYPTED PRIVATE KEY\" is encrypted: decrypt it with openssl pkcs8 -topk8 -nocrypt -in " +
                        file.path() + " -out key-pkcs8.pem");
                }
                if (block.label().endsWith("PRIVATE KEY"))
                {
                    throw file.error("\"BEGIN " + block.label() + "\" is not PKCS#8: convert it with openssl pkcs8 -topk8 -nocrypt -in " +
                        file.path() + " -out key-pkcs8.pem");
                }
            }
            throw file.error("no \"BEGIN PRIVATE KEY\" block: give the certificate's PKCS#8 private key");
        }
        if (keys.size() > 1)
        {
            throw file.error(keys.size() + " \"BEGIN PRIVATE KEY\" blocks: give only the certificate's key");
        }
        final PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        for (final String algorithm : KEY_ALGORITHMS)
        {
            try
            {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            }
            catch (final GeneralSecurityException ignore)
            {
                // not this algorithm: PKCS#8 names it inside, and each factory refuses the others' keys
            }
        }
        throw file.error("not an RSA, EC or Ed25519 PKCS#8 private key");
    }

    private static void checkValidity(final String name, final X509Certificate certificate)
    {
        try
        {
            certificate.checkValidity(new Date());
        }
        catch (final CertificateExpiredException ex)
        {
            throw new FederationConfigException(name + " expired on " + certificate.getNotAfter().toInstant() +
                ": renew it");
        }
        catch (final CertificateNotYetValidException ex)
        {
            throw new FederationConfigException(name + " is not valid before " + certificate.getNotBefore().toInstant() +
                ": check this host's clock");
        }
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private static boolean keyMatches(final PrivateKey privateKey, final PublicKey publicKey)
    {
        final String algorithm = switch (privateKey.getAlgorithm())
        {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> privateKey.getAlgorithm(); // Ed25519 (EdDSA) signs the message itself
        };
        if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm()) &&
            !(privateKey.getAlgorithm().startsWith("Ed") && publicKey.getAlgorithm().startsWith("Ed")))
        {
            return false;
        }
        try
        {
            final byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    private static boolean chainsTo(final X509Certificate[] chain, final List<X509Certificate> authorities)
    {
        try
        {
            final Set<TrustAnchor> anchors = new HashSet<>();
            for (final X509Certificate authority : authorities)
            {
                anchors.add(new TrustAnchor(authority, null));
            }
            final PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false); // as the handshake: the configured CA is the whole policy
            final List<X509Certificate> path = new ArrayList<>(List.of(chain));
            // a chain file may end with the CA itself: a cert path stops below its trust anchor
            path.removeIf(authorities::contains);
            if (path.isEmpty())
            {
                return false;
            }
            CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return true;
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    static String oneLine(final Throwable ex)
    {
        final String message = null == ex.getMessage() ? ex.getClass().getSimpleName() : ex.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
