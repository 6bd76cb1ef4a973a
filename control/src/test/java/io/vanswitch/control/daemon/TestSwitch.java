package io.vanswitch.control.daemon;

import io.vanswitch.control.config.StateFile;
import io.vanswitch.dataplane.pmd.PmdAgent;
import io.vanswitch.dataplane.pmd.PmdProxy;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A switch without DPDK for tests: real PMD agents over {@link NullPacketIo} on background threads,
 * a {@link FakePortDriver}, the state file in {@code stateDir}, and the conductor and command
 * handler over them. Close it to stop the PMD threads.
 */
public final class TestSwitch implements AutoCloseable
{
    public final FakePortDriver driver = new FakePortDriver();
    public final StateFile stateFile;
    public final List<PmdProxy> pmds = new ArrayList<>();
    public final SwitchConductor conductor;
    public final ControlCommands commands;
    private final List<AgentRunner> runners = new ArrayList<>();

    public TestSwitch(final Path stateDir, final int pmdCount)
    {
        stateFile = new StateFile(stateDir);
        for (int i = 0; i < pmdCount; i++)
        {
            final PmdAgent agent = new PmdAgent(i, -1, new NullPacketIo(), 1024);
            pmds.add(new PmdProxy(agent));
            final AgentRunner runner = new AgentRunner(
                new BackoffIdleStrategy(10, 10, 1_000, 1_000_000), Throwable::printStackTrace, null, agent);
            AgentRunner.startOnThread(runner);
            runners.add(runner);
        }
        conductor = new SwitchConductor(driver, pmds, stateFile);
        commands = new ControlCommands(conductor, System::currentTimeMillis);
    }

    public void close()
    {
        runners.forEach(AgentRunner::close);
    }
}
