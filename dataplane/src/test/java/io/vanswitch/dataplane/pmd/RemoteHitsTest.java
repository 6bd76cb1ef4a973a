package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.fdb.LocalFdb;
import org.agrona.collections.Long2LongHashMap;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hit counts {@code fdb show} collects: a remote route that has carried no frame yet is a count
 * of 0, which must be reported, not break the collection (0 was the map's missing value, so the PMD
 * thread threw and the request never completed).
 */
class RemoteHitsTest
{
    private static final long MAC = 0x5254_0000_0001L;

    @Test
    void aRemoteRouteThatCarriedNothingIsReportedWithZeroHits()
    {
        try (PmdHarness harness = new PmdHarness())
        {
            harness.proxy.installRemote(0, MAC, 3);
            final CompletableFuture<Long2LongHashMap> hits = harness.proxy.remoteHits();
            harness.agent.doWork();

            assertTrue(hits.isDone(), "the request completes");
            assertTrue(hits.join().containsKey(LocalFdb.key(0, MAC)));
            assertEquals(0L, hits.join().get(LocalFdb.key(0, MAC)));
        }
    }
}
