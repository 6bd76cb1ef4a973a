package io.vanswitch.control.federation;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/**
 * A client key manager that presents its certificate whatever CAs the server asks for: the JDK's own
 * would send an empty chain to a server that wants another CA, and the test wants the server to see,
 * and reject, the rogue certificate itself.
 */
final class PushyKeyManager extends X509ExtendedKeyManager
{
    private static final String ALIAS = "proxy";
    private final PemCredentials credentials;

    private PushyKeyManager(final PemCredentials credentials)
    {
        this.credentials = credentials;
    }

    static SSLContext context(final PemCredentials credentials) throws Exception
    {
        final KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < credentials.authorities().size(); i++)
        {
            trusted.setCertificateEntry("ca-" + i, credentials.authorities().get(i));
        }
        final TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trusted);
        final SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(new KeyManager[] { new PushyKeyManager(credentials) },
            trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    @Override
    public String[] getClientAliases(final String keyType, final Principal[] issuers)
    {
        return new String[] { ALIAS };
    }

    @Override
    public String chooseClientAlias(final String[] keyType, final Principal[] issuers, final Socket socket)
    {
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(final String[] keyType, final Principal[] issuers, final SSLEngine engine)
    {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(final String keyType, final Principal[] issuers)
    {
        return new String[] { ALIAS };
    }

    @Override
    public String chooseServerAlias(final String keyType, final Principal[] issuers, final Socket socket)
    {
        return ALIAS;
    }

    @Override
    public X509Certificate[] getCertificateChain(final String alias)
    {
        return credentials.chain();
    }

    @Override
    public PrivateKey getPrivateKey(final String alias)
    {
        return credentials.privateKey();
    }
}
