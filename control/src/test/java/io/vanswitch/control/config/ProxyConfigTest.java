package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A site proxy's configuration (docs/federation.md): {@code proxy enable}, {@code proxy peer add}
 * and {@code proxy map} as specs, their requests and the state file, and what a switch's
 * configuration refuses of them. Every refusal is one line an operator can act on.
 */
class ProxyConfigTest
{
    private static final int PUBLIC_IP = 0xC000_0201;
    private static final int GATEWAY = 0xC000_02FE;
    private static final String CERT = "/etc/vanswitch/site-a.pem";
    private static final String KEY = "/etc/vanswitch/site-a.key";
    private static final String CA = "/etc/vanswitch/ca.pem";
    private static final String PUBLIC_DEVARGS = "net_af_packet1,iface=eth2";

    @TempDir
    Path dir;

    private static ProxySpec proxy()
    {
        return new ProxySpec(PUBLIC_DEVARGS, PUBLIC_IP, 24, GATEWAY, ProxySpec.DEFAULT_PORT, CERT, KEY, CA);
    }

    /** Through the control protocol's text form, as vanctl sends it and the state file keeps it. */
    private static ControlMessage wire(final ControlMessage request)
    {
        return ControlMessage.decode(request.encode());
    }

    /** A proxy-enable request with every option, then {@code overrides} (a null value removes the option). */
    private static ControlMessage enable(final String... overrides)
    {
        final List<String> options = new ArrayList<>(List.of(
            "public-devargs", PUBLIC_DEVARGS, "public-ip", "192.0.2.1/24", "cert", CERT, "key", KEY, "ca", CA));
        for (int i = 0; i < overrides.length; i += 2)
        {
            final int at = options.indexOf(overrides[i]);
            if (at >= 0)
            {
                options.set(at + 1, overrides[i + 1]);
            }
            else
            {
                options.add(overrides[i]);
                options.add(overrides[i + 1]);
            }
        }
        return ControlMessage.of("proxy-enable", options.toArray(String[]::new));
    }

    private static void assertOneLineRefusal(final String expected, final Supplier<?> parse)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, parse::get);
        assertTrue(ex.getMessage().contains(expected), "'" + ex.getMessage() + "' says " + expected);
        assertFalse(ex.getMessage().contains("\n"), "one line");
    }

    // ==== proxy enable ====

    @Test
    void aProxySpecRoundTripsThroughItsRequest()
    {
        final ProxySpec spec = proxy();
        assertEquals(spec, ProxySpec.fromRequest(wire(spec.toRequest())));
        assertEquals("proxy-enable", spec.toRequest().word());
        assertEquals("net_af_packet1", spec.deviceName());

        final ProxySpec noGateway = new ProxySpec(PUBLIC_DEVARGS, PUBLIC_IP, 32, Ipv4Address.ANY, 5000, CERT, KEY, CA);
        assertEquals(noGateway, ProxySpec.fromRequest(wire(noGateway.toRequest())));

        final ProxySpec jumbo = new ProxySpec(PUBLIC_DEVARGS, PUBLIC_IP, 24, GATEWAY, ProxySpec.DEFAULT_PORT, CERT, KEY, CA, 2000);
        assertEquals(jumbo, ProxySpec.fromRequest(wire(jumbo.toRequest())));
        assertEquals("2000", jumbo.toRequest().get("mtu"));
        assertEquals(1932, jumbo.maxInnerFrame());
    }

    @Test
    void thePublicMtuDefaultsTo1500WhereTheLargestSealedTenantFrameIs1432Bytes()
    {
        final ProxySpec spec = ProxySpec.fromRequest(wire(enable()));
        assertEquals(ProxySpec.DEFAULT_MTU, spec.mtu());
        assertEquals(1432, spec.maxInnerFrame());
        assertEquals(proxy(), new ProxySpec(PUBLIC_DEVARGS, PUBLIC_IP, 24, GATEWAY, ProxySpec.DEFAULT_PORT, CERT, KEY, CA, 1500));
        assertEquals(2030, ProxySpec.fromRequest(enable("mtu", "2030")).mtu());
    }

    @Test
    void theGatewayAndPortAreOptional()
    {
        final ProxySpec spec = ProxySpec.fromRequest(wire(enable()));

        assertEquals(PUBLIC_IP, spec.publicIp());
        assertEquals(24, spec.prefixLength());
        assertEquals(Ipv4Address.ANY, spec.gateway());
        assertEquals(ProxySpec.DEFAULT_PORT, spec.port());
        assertEquals(4798, ProxySpec.DEFAULT_PORT);
        assertEquals(GATEWAY, ProxySpec.fromRequest(enable("gateway", "192.0.2.254")).gateway());
        assertEquals(6000, ProxySpec.fromRequest(enable("port", "6000")).port());
    }

    static Stream<Arguments> badEnables()
    {
        return Stream.of(
            Arguments.of("missing public address", enable("public-ip", null)),
            Arguments.of("bad IPv4 address", enable("public-ip", "192.0.2.300/24")),
            Arguments.of("bad public address 224.0.0.1/24", enable("public-ip", "224.0.0.1/24")),
            Arguments.of("bad proxy port 'http'", enable("port", "http")),
            Arguments.of("bad proxy port 70000", enable("port", "70000")),
            Arguments.of("bad proxy port 0", enable("port", "0")),
            Arguments.of("bad public MTU 'big'", enable("mtu", "big")),
            Arguments.of("bad public MTU 575: 576..2030", enable("mtu", "575")),
            Arguments.of("bad public MTU 9000", enable("mtu", "9000")),
            Arguments.of("gateway 198.51.100.1 is not in 192.0.2.1/24", enable("gateway", "198.51.100.1")),
            Arguments.of("bad public devargs", enable("public-devargs", null)),
            Arguments.of("bad public devargs", enable("public-devargs", "net_af_packet1, iface=eth2")),
            Arguments.of("missing or bad --cert", enable("cert", null)),
            Arguments.of("missing or bad --key", enable("key", null)),
            Arguments.of("missing or bad --key", enable("key", "/etc/my key.pem")),
            Arguments.of("missing or bad --ca", enable("ca", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEnables")
    void aBadProxyEnableIsRefusedInOneLine(final String expected, final ControlMessage request)
    {
        assertOneLineRefusal(expected, () -> ProxySpec.fromRequest(request));
    }

    // ==== proxy peer add ====

    @Test
    void aPeerRoundTripsThroughItsRequestWithOrWithoutAPort()
    {
        final ProxyPeerSpec peer = ProxyPeerSpec.fromRequest(ControlMessage.of("proxy-peer-add", "name", "site-b", "address", "192.0.2.2"));
        assertEquals(new ProxyPeerSpec("site-b", 0xC000_0202, ProxySpec.DEFAULT_PORT), peer);
        assertEquals(peer, ProxyPeerSpec.fromRequest(wire(peer.toRequest())));

        final ProxyPeerSpec otherPort = ProxyPeerSpec.fromRequest(
            ControlMessage.of("proxy-peer-add", "name", "Site_C.1", "address", "198.51.100.7:5000"));
        assertEquals(new ProxyPeerSpec("Site_C.1", 0xC633_6407, 5000), otherPort);
        assertEquals(otherPort, ProxyPeerSpec.fromRequest(wire(otherPort.toRequest())));
    }

    static Stream<Arguments> badPeers()
    {
        return Stream.of(
            Arguments.of("missing peer proxy address", ControlMessage.of("proxy-peer-add", "name", "site-b")),
            Arguments.of("bad peer proxy name ''", ControlMessage.of("proxy-peer-add", "name", "", "address", "192.0.2.2")),
            Arguments.of("missing peer proxy name", ControlMessage.of("proxy-peer-add", "address", "192.0.2.2")),
            Arguments.of("bad peer proxy name '-b'", ControlMessage.of("proxy-peer-add", "name", "-b", "address", "192.0.2.2")),
            Arguments.of("bad peer proxy name 'site/b'", ControlMessage.of("proxy-peer-add", "name", "site/b", "address", "192.0.2.2")),
            Arguments.of("bad peer proxy name", ControlMessage.of("proxy-peer-add", "name", "s".repeat(33), "address", "192.0.2.2")),
            Arguments.of("bad peer proxy address '192.0.2.2:x'", ControlMessage.of("proxy-peer-add", "name", "b", "address", "192.0.2.2:x")),
            Arguments.of("bad peer proxy port 0", ControlMessage.of("proxy-peer-add", "name", "b", "address", "192.0.2.2:0")),
            Arguments.of("bad peer proxy port 65536", ControlMessage.of("proxy-peer-add", "name", "b", "address", "192.0.2.2:65536")),
            Arguments.of("bad IPv4 address '192.0.2'", ControlMessage.of("proxy-peer-add", "name", "b", "address", "192.0.2")),
            Arguments.of("bad peer proxy address 0.0.0.0", ControlMessage.of("proxy-peer-add", "name", "b", "address", "0.0.0.0")),
            Arguments.of("bad peer proxy address 255.255.255.255",
                ControlMessage.of("proxy-peer-add", "name", "b", "address", "255.255.255.255")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPeers")
    void aBadPeerIsRefusedInOneLine(final String expected, final ControlMessage request)
    {
        assertOneLineRefusal(expected, () -> ProxyPeerSpec.fromRequest(request));
    }

    // ==== proxy map ====

    @Test
    void aMapRoundTripsThroughItsRequest()
    {
        final ProxyMapSpec map = ProxyMapSpec.fromRequest(
            ControlMessage.of("proxy-map", "name", "site-b", "local-van", "17", "remote-van", "42"));
        assertEquals(new ProxyMapSpec("site-b", 17, 42), map);
        assertEquals(map, ProxyMapSpec.fromRequest(wire(map.toRequest())));
    }

    static Stream<Arguments> badMaps()
    {
        return Stream.of(
            Arguments.of("missing peer proxy name", ControlMessage.of("proxy-map", "local-van", "17", "remote-van", "42")),
            Arguments.of("missing VAN id", ControlMessage.of("proxy-map", "name", "b", "remote-van", "42")),
            Arguments.of("missing VAN id", ControlMessage.of("proxy-map", "name", "b", "local-van", "17")),
            Arguments.of("bad VAN id 0", ControlMessage.of("proxy-map", "name", "b", "local-van", "0", "remote-van", "42")),
            Arguments.of("bad VAN id 16777216",
                ControlMessage.of("proxy-map", "name", "b", "local-van", "17", "remote-van", "16777216")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMaps")
    void aBadMapIsRefusedInOneLine(final String expected, final ControlMessage request)
    {
        assertOneLineRefusal(expected, () -> ProxyMapSpec.fromRequest(request));
    }

    @Test
    void aMapWithANonNumericVanIsRefusedInOneLine()
    {
        assertOneLineRefusal("x", () -> ProxyMapSpec.fromRequest(
            ControlMessage.of("proxy-map", "name", "b", "local-van", "x", "remote-van", "42")));
    }

    // ==== the switch's configuration ====

    private static UnderlaySpec underlay()
    {
        return new UnderlaySpec("net_af_packet0,iface=eth1", 0x0A01_0002, 24, 0, UnderlaySpec.DEFAULT_UDP_PORT, UnderlaySpec.DEFAULT_MTU);
    }

    private static List<ProxyPeerSpec> twoPeers()
    {
        return List.of(new ProxyPeerSpec("site-b", 0xC000_0202, 4798), new ProxyPeerSpec("site-c", 0xC000_0203, 4798));
    }

    private static SwitchConfig config(final ProxySpec proxy, final List<ProxyPeerSpec> peers, final ProxyMapSpec... maps)
    {
        return new SwitchConfig(
            List.of(new VanSpec(17, "tenant"), new VanSpec(18, null)),
            List.of(new PortSpec("vm1", 17, PortType.VHOST_USER, "/run/vanswitch/vm1.sock", false, MacAddress.NONE)),
            underlay(),
            List.of(),
            List.of(0x0A01_0001),
            List.of(),
            proxy,
            peers,
            Arrays.asList(maps));
    }

    private static SwitchConfig aProxySite()
    {
        return config(proxy(), twoPeers(),
            new ProxyMapSpec("site-b", 17, 42), new ProxyMapSpec("site-b", 18, 43),
            new ProxyMapSpec("site-c", 17, 42));
    }

    @Test
    void aVanMayBeMappedToEveryPeerEvenUnderTheSameRemoteId()
    {
        final SwitchConfig config = aProxySite();

        assertEquals(3, config.proxyMaps().size());
        assertEquals(proxy(), config.proxy());
    }

    static Stream<Arguments> inconsistentConfigs()
    {
        // built by each case, not here: the refusal is the constructor's
        return Stream.of(
            Arguments.of("mapping for unknown peer proxy site-x",
                (Supplier<SwitchConfig>)() -> config(proxy(), twoPeers(), new ProxyMapSpec("site-x", 17, 42))),
            Arguments.of("mapping to peer proxy site-b: VAN 19 is not defined",
                (Supplier<SwitchConfig>)() -> config(proxy(), twoPeers(), new ProxyMapSpec("site-b", 19, 42))),
            Arguments.of("peer proxy site-b: VAN 17 or remote VAN 44 is mapped twice",
                (Supplier<SwitchConfig>)() -> config(proxy(), twoPeers(), new ProxyMapSpec("site-b", 17, 42), new ProxyMapSpec("site-b", 17, 44))),
            Arguments.of("peer proxy site-b: VAN 18 or remote VAN 42 is mapped twice",
                (Supplier<SwitchConfig>)() -> config(proxy(), twoPeers(), new ProxyMapSpec("site-b", 17, 42), new ProxyMapSpec("site-b", 18, 42))),
            Arguments.of("peer proxy site-b (192.0.2.9) is defined twice",
                (Supplier<SwitchConfig>)() -> config(proxy(), List.of(new ProxyPeerSpec("site-b", 0xC000_0202, 4798), new ProxyPeerSpec("site-b", 0xC000_0209, 4798)))),
            Arguments.of("peer proxy site-c (192.0.2.2) is defined twice",
                (Supplier<SwitchConfig>)() -> config(proxy(), List.of(new ProxyPeerSpec("site-b", 0xC000_0202, 4798), new ProxyPeerSpec("site-c", 0xC000_0202, 4798)))),
            Arguments.of("the proxy's public device net_af_packet0 is used by the underlay or a port",
                (Supplier<SwitchConfig>)() -> config(new ProxySpec("net_af_packet0,iface=eth1", PUBLIC_IP, 24, GATEWAY, 4798, CERT, KEY, CA), twoPeers())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inconsistentConfigs")
    void anInconsistentProxyConfigIsRefusedInOneLine(final String expected, final Supplier<SwitchConfig> config)
    {
        assertOneLineRefusal(expected, config);
    }

    // ==== the state file ====

    @Test
    void theStateFileKeepsTheProxyItsPeersAndItsMaps() throws IOException
    {
        final SwitchConfig config = aProxySite();
        final StateFile stateFile = new StateFile(dir);

        stateFile.write(config);

        assertEquals(config, new StateFile(dir).read());
        final List<String> lines = Files.readAllLines(stateFile.path());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("proxy-enable")).count());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("proxy-peer-add")).count());
        assertEquals(3, lines.stream().filter(l -> l.startsWith("proxy-map")).count());
    }

    @Test
    void aConfigWithoutAProxyWritesNoProxyLines() throws IOException
    {
        final SwitchConfig config = config(null, List.of());
        final StateFile stateFile = new StateFile(dir);

        stateFile.write(config);

        assertEquals(config, stateFile.read());
        assertTrue(Files.readAllLines(stateFile.path()).stream().noneMatch(l -> l.startsWith("proxy")));
    }

    @Test
    void aStateFileThatEnablesTheProxyTwiceIsRefused() throws IOException
    {
        final StateFile stateFile = new StateFile(dir);
        stateFile.write(aProxySite());
        Files.writeString(stateFile.path(), proxy().toRequest().encode() + "\n", java.nio.file.StandardOpenOption.APPEND);

        final RuntimeException ex = assertThrows(RuntimeException.class, stateFile::read);
        assertTrue(ex.getMessage().contains("proxy enabled twice"), ex.getMessage());
    }
}
