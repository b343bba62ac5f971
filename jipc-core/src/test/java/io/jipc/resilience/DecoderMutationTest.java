package io.jipc.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deterministic, seeded, mutation-based fuzzer for the decoder chain that runs inside the suite
 * (Jazzer's {@code @FuzzTest} only replays its corpus there): starts from the Jazzer seed corpus
 * ({@code DecoderFuzzTestInputs/splitDecodeAndPolicy}), mutates (bit flips, byte edits, inserted
 * delimiters and JSON tokens, region copies, splices, truncation), checks each input with
 * {@link DecoderHarness#check}, and keeps a bounded pool of mutants to mutate further.
 *
 * <p>Bounded by count ({@code -Djipc.fuzz.inputs}, default 100,000) and time
 * ({@code -Djipc.fuzz.seconds}, default 15 s), whichever comes first; {@code -Djipc.fuzz.seed} picks
 * the seed (default fixed, so a failure reproduces). A failing input is printed and written to
 * {@code target…/fuzz-failures/}.
 */
@Timeout(60)
class DecoderMutationTest {
    private static final byte[][] TOKENS = {
        {'\f'}, {'{'}, {'}'}, {'['}, {']'}, {'"'}, {','}, {':'}, {'\\'},
        "\"type\":".getBytes(StandardCharsets.US_ASCII), "\"data\":".getBytes(StandardCharsets.US_ASCII),
        "{\"type\":\"m\",\"data\":".getBytes(StandardCharsets.US_ASCII), "\\u0000".getBytes(StandardCharsets.US_ASCII),
        "\\ud800".getBytes(StandardCharsets.US_ASCII), "1e999".getBytes(StandardCharsets.US_ASCII),
        "null".getBytes(StandardCharsets.US_ASCII), "true".getBytes(StandardCharsets.US_ASCII),
        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0xFF}, {0}, {'\n'}, {'\r'},
        "__proto__".getBytes(StandardCharsets.US_ASCII), "connect".getBytes(StandardCharsets.US_ASCII),
    };
    private static final int POOL = 512;
    private static final int MAX_LEN = 3 * DecoderHarness.MAX_FRAME;

    @Test
    void seededMutationsKeepTheDecoderProperties() throws Exception {
        long maxInputs = Long.getLong("jipc.fuzz.inputs", 100_000L);
        long seconds = Long.getLong("jipc.fuzz.seconds", 15L);
        long seed = Long.getLong("jipc.fuzz.seed", 0x6A1BC0DEL);
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> corpus = loadCorpus();
        assertThat(corpus).as("seed corpus").hasSizeGreaterThanOrEqualTo(20);
        List<byte[]> pool = new ArrayList<>(corpus);
        long startInputs = DecoderHarness.INPUTS.get();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        long n = 0;
        for (byte[] s : corpus) {
            checkOrReport(s, seed, n++);
        }
        while (n < maxInputs && System.nanoTime() < deadline) {
            byte[] parent = pool.get(random.nextInt(pool.size()));
            byte[] child = mutate(parent, pool, random);
            checkOrReport(child, seed, n++);
            if (pool.size() < POOL) {
                pool.add(child);
            } else if (random.nextInt(8) == 0) {
                pool.set(corpus.size() + random.nextInt(POOL - corpus.size()), child);
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("[DecoderMutationTest] seed=%#x inputs=%d in %.1f s (%.0f inputs/s); %s%n", seed,
            DecoderHarness.INPUTS.get() - startInputs, secs, n / secs, DecoderHarness.stats());
        assertThat(n).as("inputs checked").isGreaterThanOrEqualTo(Math.min(maxInputs, 1000));
    }

    private static void checkOrReport(byte[] input, long seed, long index) throws IOException {
        try {
            DecoderHarness.check(input);
        } catch (Throwable t) {
            Path dir = Path.of(System.getProperty("jipc.target", "target"), "fuzz-failures").toAbsolutePath();
            Files.createDirectories(dir);
            Path file = dir.resolve("crash-seed" + Long.toHexString(seed) + "-" + index);
            Files.write(file, input);
            throw new AssertionError("input #" + index + " (seed " + Long.toHexString(seed) + ") violates a decoder "
                + "property; saved to " + file + " (copy it into DecoderFuzzTestInputs/splitDecodeAndPolicy/ to "
                + "replay): " + DecoderHarness.preview(input), t);
        }
    }

    static List<byte[]> loadCorpus() throws IOException, URISyntaxException {
        URL url = DecoderMutationTest.class.getResource("DecoderFuzzTestInputs/splitDecodeAndPolicy");
        assertThat(url).as("seed corpus on the test classpath").isNotNull();
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            for (Path p : files.sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    static byte[] mutate(byte[] parent, List<byte[]> pool, SplittableRandom r) {
        byte[] b = parent.clone();
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            b = mutateOnce(b, pool, r);
        }
        return b.length > MAX_LEN ? Arrays.copyOf(b, MAX_LEN) : b;
    }

    private static byte[] mutateOnce(byte[] b, List<byte[]> pool, SplittableRandom r) {
        int len = b.length;
        switch (r.nextInt(10)) {
            case 0: // flip a bit (control bytes included: policy, buffer kinds, chunk seed)
                if (len > 0) {
                    b[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            case 1: // set a random byte
                if (len > 0) {
                    b[r.nextInt(len)] = (byte) r.nextInt(256);
                }
                return b;
            case 2: // insert a token
                return insert(b, r.nextInt(len + 1), TOKENS[r.nextInt(TOKENS.length)]);
            case 3: // delete a range
                if (len > 0) {
                    int from = r.nextInt(len);
                    int n = 1 + r.nextInt(Math.min(16, len - from));
                    byte[] out = new byte[len - n];
                    System.arraycopy(b, 0, out, 0, from);
                    System.arraycopy(b, from + n, out, from, len - from - n);
                    return out;
                }
                return b;
            case 4: // duplicate a region (grows frames past maxFrameLength sometimes)
                if (len > 0) {
                    int from = r.nextInt(len);
                    int n = 1 + r.nextInt(Math.min(len - from, r.nextInt(4) == 0 ? 4096 : 64));
                    return insert(b, r.nextInt(len + 1), Arrays.copyOfRange(b, from, from + n));
                }
                return b;
            case 5: // splice with another pool entry
                byte[] other = pool.get(r.nextInt(pool.size()));
                int cut = r.nextInt(len + 1);
                int cut2 = r.nextInt(other.length + 1);
                byte[] out = Arrays.copyOf(b, cut + other.length - cut2);
                System.arraycopy(other, cut2, out, cut, other.length - cut2);
                return out;
            case 6: // truncate
                return len > 2 ? Arrays.copyOf(b, 2 + r.nextInt(len - 2)) : b;
            case 7: // replace a byte with the delimiter
                if (len > 2) {
                    b[2 + r.nextInt(len - 2)] = '\f';
                }
                return b;
            case 8: // a run of one byte (deep nesting, long names, long numbers)
                byte[] run = new byte[1 + r.nextInt(r.nextInt(4) == 0 ? 2000 : 40)];
                Arrays.fill(run, new byte[] {'[', '{', '9', 'x', ' ', '"', '\\'}[r.nextInt(7)]);
                return insert(b, r.nextInt(len + 1), run);
            default: // new control bytes
                if (len >= 2) {
                    b[0] = (byte) r.nextInt(256);
                    b[1] = (byte) r.nextInt(256);
                }
                return b;
        }
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }
}
