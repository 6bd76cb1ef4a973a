/**
 * The control thread's state for edge bridges on the overlay (docs/protocol.md): where remote MACs
 * live ({@link io.vanswitch.control.overlay.RemoteRoutes}), the mobility sequence of local MACs
 * ({@link io.vanswitch.control.overlay.LocalMobility}), which hosts serve which VAN
 * ({@link io.vanswitch.control.overlay.Membership}) and how often a peer may be signalled
 * ({@link io.vanswitch.control.overlay.SignalRateLimiter}).
 * <p>
 * Pure logic: no I/O, no clocks (every method that needs the time is given it), no threads. Each
 * class is owned by the control thread (single writer) and is not thread-safe. The PMD threads never
 * read these objects; the control thread publishes what they imply through its usual topology
 * commands.
 * <p>
 * Hosts are IPv4 underlay addresses held in an {@code int} (network order: 10.0.0.1 is
 * {@code 0x0A000001}); MACs are 48-bit values in a {@code long} as in
 * {@link io.vanswitch.dataplane.frame.MacAddress}; VANs are this site's VAN ids.
 */
package io.vanswitch.control.overlay;
