package io.vanswitch.control.daemon;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer proxy is the one the operator named only if its certificate's common name is that name:
 * TLS already proved the certificate comes from the CA, which may sign every site's proxy.
 */
class SiteProxyIdentityTest
{
    @Test
    void theCommonNameMustBeThePeersName()
    {
        assertTrue(SiteProxy.isNamed("CN=site-b", "site-b"));
        assertTrue(SiteProxy.isNamed("CN=site-b,O=Provider B,C=DE", "site-b"));
        assertTrue(SiteProxy.isNamed("O=Provider B, CN=site-b", "site-b"));
    }

    @Test
    void anotherNameOrNoNameIsRefused()
    {
        assertFalse(SiteProxy.isNamed("CN=site-c", "site-b"));
        assertFalse(SiteProxy.isNamed("CN=site-bb", "site-b"));
        assertFalse(SiteProxy.isNamed("CN=Site-B", "site-b"));
        assertFalse(SiteProxy.isNamed("O=site-b", "site-b"));
        assertFalse(SiteProxy.isNamed("not a distinguished name ,,=", "site-b"));
        assertFalse(SiteProxy.isNamed("", "site-b"));
    }
}
