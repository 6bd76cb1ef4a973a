package io.vanswitch.perf.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonWriterTest
{
    @TempDir
    Path dir;

    @Test
    void theReportAsJsonWithEveryStringEscaped()
    {
        Fixtures.write(dir, """
            s\tovs\t64\tmpps\t4.0\tsaid "slow" \\ then\u0001stopped
            s\tvanswitch\t64\tmpps\t5.0\t
            s\tovs\t128\tmpps\t\tskipped
            s\tvanswitch\t128\tmpps\t1\t
            s\tvanswitch\t128\tmpps\t2\t
            bad
            """, "s\tA \"quoted\" title\tframe size\t1\tm\n", "date\td\n");
        assertEquals("""
            {
              "date": "d",
              "machine": {
                "date": "d"
              },
              "malformed_lines": 1,
              "malformed": [
                {"file": "results.tsv", "line": 6, "reason": "1 field, expected 6: scenario, switch, x, metric, value, note (may be empty)"}
              ],
              "summary": [
                {"scenario": "s", "metric": "mpps", "better": "higher", "x": "64", "reference": "ovs", "ratio": 1.25},
                {"scenario": "s", "metric": "mpps", "better": "higher", "x": "128", "reference": "ovs", "ratio": null}
              ],
              "variant_summary": [],
              "scenarios": [
                {
                  "name": "s",
                  "title": "A \\"quoted\\" title",
                  "x_label": "frame size",
                  "cores": "1",
                  "method": "m",
                  "x": ["64", "128"],
                  "metrics": [
                    {
                      "metric": "mpps",
                      "label": "Mpps",
                      "better": "higher",
                      "chart": "charts/s-mpps.png",
                      "switches": ["ovs", "vanswitch"],
                      "references": ["ovs"],
                      "variants": [],
                      "rows": [
                        {"x": "64", "values": {"ovs": 4.0, "vanswitch": 5.0}, "ratios": {"ovs": 1.25}, "variant_ratios": {}},
                        {"x": "128", "values": {"ovs": null, "vanswitch": 1.5}, "ratios": {"ovs": null}, "variant_ratios": {}, "runs": {"vanswitch": [1, 2]}}
                      ]
                    }
                  ],
                  "notes": [
                    {"switch": "ovs", "x": ["64"], "note": "said \\"slow\\" \\\\ then\\u0001stopped"},
                    {"switch": "ovs", "x": ["128"], "note": "skipped"}
                  ]
                }
              ],
              "unmeasured_scenarios": []
            }
            """, JsonWriter.write(Fixtures.report(dir)));
    }

    @Test
    void aVariantOfVanswitchIsComparedWithVanswitch()
    {
        Fixtures.write(dir, """
            h2h\ttestpmd-io\t64\tmpps\t8.0\t
            h2h\tvanswitch\t64\tmpps\t4.0\t
            h2h\tvanswitch-proxies\t64\tmpps\t1.0\t
            """, null, null);
        final String json = JsonWriter.write(Fixtures.report(dir));
        assertTrue(json.contains("""
              "variant_summary": [
                {"scenario": "h2h", "metric": "mpps", "better": "higher", "x": "64", "variant": "vanswitch-proxies", "ratio": 0.25}
              ],
            """), json);
        assertTrue(json.contains("\"references\": [\"testpmd-io\"],\n"), json);
        assertTrue(json.contains("\"variants\": [\"vanswitch-proxies\"],\n"), json);
        assertTrue(json.contains("\"ratios\": {\"testpmd-io\": 0.5}, \"variant_ratios\": {\"vanswitch-proxies\": 0.25}}"), json);
    }

    @Test
    void stringsAreEscapedAsRfc8259Says()
    {
        final StringBuilder sb = new StringBuilder();
        JsonOut.quote("a\"b\\c\nd\re\tf\bg\fh\u001fi\u2028j µ", sb);
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u001fi\\u2028j µ\"", sb.toString());
    }

    @Test
    void emptyContainersAndAnUnbalancedDocument()
    {
        assertEquals("{\n  \"a\": [],\n  \"b\": {}\n}\n",
            new JsonOut().beginObject(false).key("a").beginArray(false).endArray().key("b").beginObject(true).endObject()
                .endObject().text());
        assertThrows(IllegalStateException.class, () -> new JsonOut().beginObject(false).text());
        assertThrows(IllegalStateException.class, () -> new JsonOut().endArray());
    }
}
