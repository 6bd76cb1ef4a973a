package io.vanswitch.perf.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * What one clock read costs on this machine: PmdAgent.doWork reads System.nanoTime twice around
 * every burst it processes (the PMD's processing time), so two of these are part of
 * BurstBenchmark.dutyCycle's cost per burst. Under a hypervisor it depends on the clock source
 * (kvm-clock through the vDSO here; a syscall where the vDSO cannot be used).
 * <p>
 * Not final: JMH subclasses its state classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClockBenchmark
{
    @Benchmark
    public long nanoTime()
    {
        return System.nanoTime();
    }
}
