package io.vanswitch.control.federation;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TLS 1.3 for the proxies' control sessions, from the JDK alone: this proxy's key and chain, and trust in
 * the configured CA(s) only (never the JVM's default trust store), with client authentication required.
 */
public final class TlsContexts
{
    public static final String PROTOCOL = "TLSv1.3";
    private static final String[] PROTOCOLS = { PROTOCOL };
    /** The key store lives only in memory: its password protects nothing, the API just needs one. */
    private static final char[] IN_MEMORY_PASSWORD = "vanswitch".toCharArray();

    private TlsContexts()
    {
    }

    public static SSLContext create(final PemCredentials credentials)
    {
        try
        {
            final KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("proxy", credentials.privateKey(), IN_MEMORY_PASSWORD, credentials.chain());
            final KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
            keyManagers.init(keys, IN_MEMORY_PASSWORD);

            final KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            final List<X509Certificate> authorities = credentials.authorities();
            for (int i = 0; i < authorities.size(); i++)
            {
                trusted.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            final TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(trusted);

            final SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
            return context;
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            throw new FederationConfigException("cannot set up TLS 1.3 for certificate " + credentials.subject() +
                ": " + PemCredentials.oneLine(ex));
        }
    }

    /** The dialling side: TLS 1.3 only. */
    static void configureClient(final SSLSocket socket)
    {
        socket.setUseClientMode(true);
        socket.setEnabledProtocols(PROTOCOLS);
    }

    /** The accepting side: TLS 1.3 only, and the peer must present a certificate from the CA. */
    static void configureServer(final SSLSocket socket)
    {
        socket.setUseClientMode(false);
        socket.setEnabledProtocols(PROTOCOLS);
        socket.setNeedClientAuth(true);
    }
}
