package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Byte-for-byte comparison with Node.js: {@code golden/stringify-golden.jsonl} holds, per line,
 * {@code [inputText, JSON.stringify(JSON.parse(inputText))]} as produced by
 * {@code golden/stringify-golden.js} under node v20.
 */
@Timeout(30)
class JsonStringifyGoldenTest {
    private static final String GOLDEN = "/golden/stringify-golden.jsonl";
    private static final String SCRIPT = "/golden/stringify-golden.js";

    /**
     * Numbers keep their meaning: integers as int/long/BigInteger, everything else as double. Both
     * of Jackson's double parsers are exercised: the JDK one on character input, the (default)
     * FastDoubleParser on byte input, which is how frames arrive from the wire.
     */
    private static final JsonMapper JDK_DOUBLES = mapper(false);
    private static final JsonMapper FAST_DOUBLES = mapper(true);

    private static JsonMapper mapper(boolean fastDoubles) {
        return JsonMapper.builder()
                .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(StreamReadFeature.USE_FAST_DOUBLE_PARSER, fastDoubles)
                .build();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = JsonStringifyGoldenTest.class.getResourceAsStream(name)) {
            assertThat(in).as("resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static byte[] stringify(JsonNode node) {
        ByteBuf buf = Unpooled.buffer();
        try {
            JsonStringify.write(node, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void matchesNodeGoldenVectors() throws IOException {
        String[] lines = new String(resource(GOLDEN), StandardCharsets.UTF_8).split("\n");
        List<String> failures = new ArrayList<>();
        List<String> jacksonRejected = new ArrayList<>();
        int numberCases = 0;
        for (String line : lines) {
            JsonNode pair = JDK_DOUBLES.readTree(line);
            String input = pair.get(0).stringValue();
            byte[] expected = pair.get(1).stringValue().getBytes(StandardCharsets.UTF_8);
            JsonNode fromChars;
            JsonNode fromBytes;
            try {
                fromChars = JDK_DOUBLES.readTree(input);
                fromBytes = FAST_DOUBLES.readTree(input.getBytes(StandardCharsets.UTF_8));
            } catch (StreamReadException e) {
                // Jackson 3.2 rejects lone-surrogate escapes in property names (values are fine);
                // node accepts them. JsonStringifyTest covers writing such keys.
                assertThat(e.getMessage()).as(input).containsIgnoringCase("surrogate").contains("property name");
                jacksonRejected.add(input);
                continue;
            }
            numberCases += fromChars.isNumber() ? 1 : 0;
            for (JsonNode parsed : new JsonNode[] {fromChars, fromBytes}) {
                byte[] actual = stringify(parsed);
                if (!Arrays.equals(actual, expected)) {
                    failures.add(input + " (" + parsed.getClass().getSimpleName() + ") -> "
                            + new String(actual, StandardCharsets.UTF_8) + " but node wrote "
                            + new String(expected, StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(lines.length).isGreaterThan(10_000);
        assertThat(jacksonRejected).as("inputs Jackson could not parse").hasSizeLessThan(5);
        assertThat(numberCases).isGreaterThan(8_000);
        assertThat(failures.subList(0, Math.min(20, failures.size())))
                .as("%d of %d comparisons differ (first 20 shown)", failures.size(), 2 * lines.length)
                .isEmpty();
    }

    /** Re-runs the script with the local node (skipped when absent) so drift is noticed. */
    @Test
    void committedGoldenFileMatchesLiveNode() throws Exception {
        Path script = scriptPath();
        Process p;
        try {
            p = new ProcessBuilder("node", script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            Assumptions.abort("node is not on PATH: " + e.getMessage());
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
                .as("regenerate with: node %s > %s", script, "src/test/resources" + GOLDEN)
                .isEqualTo(new String(resource(GOLDEN), StandardCharsets.UTF_8));
    }

    private static Path scriptPath() throws URISyntaxException {
        Path p = Path.of(JsonStringifyGoldenTest.class.getResource(SCRIPT).toURI());
        assertThat(Files.isRegularFile(p)).isTrue();
        return p;
    }
}
