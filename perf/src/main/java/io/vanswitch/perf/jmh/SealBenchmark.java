package io.vanswitch.perf.jmh;

import io.vanswitch.dataplane.federation.FrameOpener;
import io.vanswitch.dataplane.federation.FrameSealer;
import io.vanswitch.dataplane.federation.SealKey;
import io.vanswitch.dataplane.federation.SealedHeaderFlyweight;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A federation frame sealed (FrameSealer: header, AES-256-GCM in place, tag, in one OpenSSL
 * downcall through the shim) and sealed then opened again (FrameOpener: header checks, replay
 * window, decryption and tag check), for a VAN datagram of {@code size} bytes in native memory.
 * An opened frame cannot be opened again (the replay window refuses it), so opening is measured
 * with its sealing: open alone is {@code sealOpen - seal}. Needs the shim (-Dvanswitch.shim) but
 * no EAL.
 * <p>
 * Not final, and its fields not final: JMH subclasses its state classes, and a final field's value
 * could be folded into the measured code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SealBenchmark
{
    @Param({ "64", "512", "1500" })
    public int size;

    private Arena arena;
    private long address;
    private FrameSealer sealer;
    private FrameOpener opener;

    @Setup
    public void setUp()
    {
        arena = Arena.ofShared();
        final MemorySegment frame = arena.allocate(size + SealedHeaderFlyweight.OVERHEAD, 64);
        for (int i = 0; i < size; i++)
        {
            frame.set(ValueLayout.JAVA_BYTE, SealedHeaderFlyweight.HEADER_LENGTH + i, (byte)i);
        }
        address = frame.address();
        final SealKey key = SealKey.generate(1, new SecureRandom());
        sealer = new FrameSealer();
        sealer.rekey(key, 0);
        opener = new FrameOpener();
        opener.install(key);

        // what is measured must be what it claims: a frame that opens to its plaintext, and is encrypted when sealed
        final MemorySegment payload = frame.asSlice(SealedHeaderFlyweight.HEADER_LENGTH, size);
        final byte[] plaintext = payload.toArray(ValueLayout.JAVA_BYTE);
        if (sealOpen() != size || !Arrays.equals(plaintext, payload.toArray(ValueLayout.JAVA_BYTE)))
        {
            throw new IllegalStateException("the sealed frame did not open to its plaintext");
        }
        if (seal() != size + SealedHeaderFlyweight.OVERHEAD || Arrays.equals(plaintext, payload.toArray(ValueLayout.JAVA_BYTE)))
        {
            throw new IllegalStateException("the frame was not sealed");
        }
    }

    @TearDown
    public void tearDown()
    {
        sealer.close();
        opener.close();
        arena.close();
    }

    /** @return the sealed length. */
    @Benchmark
    public int seal()
    {
        // sealing again what the last call sealed: AES-GCM's cost does not depend on the bytes
        return sealer.seal(address, size);
    }

    /** @return the opened plaintext's length. */
    @Benchmark
    public int sealOpen()
    {
        return opener.open(address, sealer.seal(address, size));
    }
}
