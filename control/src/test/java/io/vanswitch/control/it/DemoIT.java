package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command, as written: {@code ./vanswitch demo} from the repository root.
 */
class DemoIT
{
    @Test
    void demoPingsThroughAVanAndCleansUp()
    {
        Environment.require(false, 300);
        final Shell.Result result = Shell.bash("cd '" + Environment.home() + "' && ./vanswitch demo 2>&1");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains(" 0% packet loss"), result.output());
        assertTrue(result.output().contains("RX_PACKETS"), "prints port list and stats:\n" + result.output());
        final String namespaces = Shell.ok("ip", "netns", "list");
        assertTrue(!namespaces.contains("vsdemo-a") && !namespaces.contains("vsdemo-b"), "namespaces removed: " + namespaces);
    }
}
