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
        for (final RemoteEdge edge : edges)
        {
            this.edges[edge.index()] = edge;
            edgeIndexByIp.put(edge.ip(), edge.index());
        }
        this.vanIdByIndex = vanIdByIndex.clone();
        this.floodEdgesByVan = new int[vanIdByIndex.length][];
        Arrays.fill(floodEdgesByVan, NO_EDGES);
        floodEdges.forEach((vanIndex, edgeIndexes) -> floodEdgesByVan[vanIndex] = edgeIndexes.clone());
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
