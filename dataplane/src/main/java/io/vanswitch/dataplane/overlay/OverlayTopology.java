package io.vanswitch.dataplane.overlay;

import org.agrona.collections.Int2IntHashMap;

import java.util.Arrays;
import java.util.Map;

/**
 * The overlay part of a forwarding topology, immutable once published: the remote edges, which of
 * them serve each VAN (the broadcast domain, by head-end replication), and the VAN ids on the wire.
 * The maps are only read by PMD threads after publication.
 */
public final class OverlayTopology
{
    public static final int MAX_EDGES = 1024;
    /** Forwarding locations at or above this slot value name a remote edge: slot - REMOTE_BASE. */
    public static final int REMOTE_BASE = 0x10000;
    public static final int MISSING = -1;
    private static final int[] NO_EDGES = new int[0];

    private final RemoteEdge[] edges = new RemoteEdge[MAX_EDGES];
    private final int[][] floodEdgesByVan;
    private final int[][] siteFloodEdgesByVan;
    private final int[][] linkFloodEdgesByVan;
    private final Int2IntHashMap linkEdgeIndexByIp = new Int2IntHashMap(MISSING);
    /** Per link edge: local VAN index to the peer site's VAN id, and back. */
    private final Int2IntHashMap[] remoteVanIdByEdge = new Int2IntHashMap[MAX_EDGES];
    private final Int2IntHashMap[] vanIndexByRemoteIdByEdge = new Int2IntHashMap[MAX_EDGES];
    private final int[] vanIdByIndex;
    private final Int2IntHashMap vanIndexById = new Int2IntHashMap(MISSING);
    private final Int2IntHashMap edgeIndexByIp = new Int2IntHashMap(MISSING);
    private final int maxInnerFrame;

    /**
     * @param edges          the usable edges (next hop resolved).
     * @param floodEdges     VAN index to the edge indexes serving it.
     * @param vanIdByIndex   VAN index to VAN id (0 where unused).
     * @param maxInnerFrame  the largest tenant frame that fits the underlay MTU encapsulated.
     */
    public OverlayTopology(
        final Iterable<RemoteEdge> edges, final Map<Integer, int[]> floodEdges, final int[] vanIdByIndex, final int maxInnerFrame)
    {
        this(edges, floodEdges, vanIdByIndex, maxInnerFrame, Map.of());
    }

    /**
     * @param linkVans per link edge index: the local VAN index to the peer site's VAN id (the VAN ID
     *                 translation of a proxy); only mapped VANs cross a link.
     */
    public OverlayTopology(
        final Iterable<RemoteEdge> edges,
        final Map<Integer, int[]> floodEdges,
        final int[] vanIdByIndex,
        final int maxInnerFrame,
        final Map<Integer, Map<Integer, Integer>> linkVans)
    {
        for (final RemoteEdge edge : edges)
        {
            this.edges[edge.index()] = edge;
            if (edge.isLink())
            {
                linkEdgeIndexByIp.put(edge.ip(), edge.index());
                final Int2IntHashMap remoteIds = new Int2IntHashMap(0);
                final Int2IntHashMap localIndexes = new Int2IntHashMap(MISSING);
                linkVans.getOrDefault(edge.index(), Map.of()).forEach((vanIndex, remoteId) ->
                {
                    remoteIds.put(vanIndex, remoteId);
                    localIndexes.put(remoteId, vanIndex);
                });
                remoteVanIdByEdge[edge.index()] = remoteIds;
                vanIndexByRemoteIdByEdge[edge.index()] = localIndexes;
            }
            else
            {
                edgeIndexByIp.put(edge.ip(), edge.index());
            }
        }
        this.vanIdByIndex = vanIdByIndex.clone();
        this.floodEdgesByVan = new int[vanIdByIndex.length][];
        this.siteFloodEdgesByVan = new int[vanIdByIndex.length][];
        this.linkFloodEdgesByVan = new int[vanIdByIndex.length][];
        Arrays.fill(floodEdgesByVan, NO_EDGES);
        Arrays.fill(siteFloodEdgesByVan, NO_EDGES);
        Arrays.fill(linkFloodEdgesByVan, NO_EDGES);
        floodEdges.forEach((vanIndex, edgeIndexes) ->
        {
            floodEdgesByVan[vanIndex] = edgeIndexes.clone();
            siteFloodEdgesByVan[vanIndex] = Arrays.stream(edgeIndexes)
                .filter(e -> null != this.edges[e] && !this.edges[e].isLink()).toArray();
            // the primitive get: get(Object) of a boxed index answers null for a VAN the link does not map
            final int van = vanIndex;
            linkFloodEdgesByVan[vanIndex] = Arrays.stream(edgeIndexes)
                .filter(e -> null != this.edges[e] && this.edges[e].isLink() && remoteVanIdByEdge[e].get(van) != 0).toArray();
        });
        for (int i = 0; i < vanIdByIndex.length; i++)
        {
            if (vanIdByIndex[i] != 0)
            {
                vanIndexById.put(vanIdByIndex[i], i);
            }
        }
        this.maxInnerFrame = maxInnerFrame;
    }

    public RemoteEdge edge(final int index)
    {
        return edges[index];
    }

    public int[] floodEdges(final int vanIndex)
    {
        return floodEdgesByVan[vanIndex];
    }

    /** The site's hosts serving the VAN (where frames from a peer proxy are flooded). */
    public int[] siteFloodEdges(final int vanIndex)
    {
        return siteFloodEdgesByVan[vanIndex];
    }

    /** The peer proxies mapping the VAN (where frames from the site's hosts are flooded). */
    public int[] linkFloodEdges(final int vanIndex)
    {
        return linkFloodEdgesByVan[vanIndex];
    }

    /** @return the link edge of a peer proxy's public address, or MISSING. */
    public int linkEdgeIndex(final int publicIp)
    {
        return linkEdgeIndexByIp.get(publicIp);
    }

    /** @return the peer site's VAN id for a local VAN across a link, or 0 when the link does not map it. */
    public int remoteVanId(final int linkEdgeIndex, final int vanIndex)
    {
        final Int2IntHashMap ids = remoteVanIdByEdge[linkEdgeIndex];
        return null == ids ? 0 : ids.get(vanIndex);
    }

    /** @return the local VAN index a peer site's VAN id maps to over a link, or MISSING. */
    public int localVanIndex(final int linkEdgeIndex, final int remoteVanId)
    {
        final Int2IntHashMap indexes = vanIndexByRemoteIdByEdge[linkEdgeIndex];
        return null == indexes ? MISSING : indexes.get(remoteVanId);
    }

    public int vanId(final int vanIndex)
    {
        return vanIdByIndex[vanIndex];
    }

    /** @return the VAN index, or MISSING when this host does not serve the VAN. */
    public int vanIndex(final int vanId)
    {
        return vanIndexById.get(vanId);
    }

    /** @return the edge index of a peer address, or MISSING. */
    public int edgeIndex(final int ip)
    {
        return edgeIndexByIp.get(ip);
    }

    public int maxInnerFrame()
    {
        return maxInnerFrame;
    }
}
