package io.jipc.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcSocket;
import io.jipc.PayloadProfile;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;

/**
 * Payload cases shared by the jipc ↔ node-ipc interop tests, with what each node-ipc generation puts
 * on the wire for them, plus small helpers (peers, profiles, a thread-safe inbox).
 *
 * <p>Every case is one JavaScript value. {@link Case#modern} is {@code JSON.stringify(value)} — what
 * node-ipc 14 sends; {@link Case#legacy} is what 9.x–12.x send after {@code EventParser.format()}
 * turned {@code null}, {@code ""}, {@code undefined}, {@code NaN} and {@code _maxListeners} objects
 * into {@code {}} (research §1.1). Both texts are canonical {@code JSON.stringify} output, so a value
 * that crossed a node peer comes back as the same text.
 */
final class InteropCases {
    static final Duration T = Duration.ofSeconds(20);
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private InteropCases() {
    }

    /**
     * One payload.
     * @param name    label
     * @param value   what jipc emits ({@link MissingNode} = no payload, JavaScript {@code undefined})
     * @param special the peer.js {@code special} for values a JSON command cannot carry, else null
     * @param modern  the data JSON node-ipc 14 writes for it
     * @param legacy  the data JSON node-ipc 9.x–12.x write for it
     */
    record Case(String name, JsonNode value, String special, String modern, String legacy) {
        /** What a node-ipc peer of {@code lib} sends for this value. */
        String sentBy(Lib lib) {
            return lib.legacy() ? legacy : modern;
        }

        /** What jipc with {@code profile} sends for this value. */
        String sentBy(PayloadProfile profile) {
            return profile == PayloadProfile.LEGACY ? legacy : modern;
        }

        /**
         * What arrives back after the value was sent by one side and re-emitted by the other: legacy
         * normalisation on either hop wins (it is idempotent and only ever maps to {}).
         */
        String afterBothHops(Lib lib, PayloadProfile profile) {
            return lib.legacy() || profile == PayloadProfile.LEGACY ? legacy : modern;
        }

        /** The peer.js command that makes a node peer emit this value. */
        JsonNode nodeEmit(String type) {
            return special != null ? NodePeer.emitSpecial(type, special) : NodePeer.emit(type, value);
        }

        /** jipc client emit of this value ({@code undefined} = the no-payload overload). */
        CompletionStage<Void> emitFrom(IpcClient c, String type) {
            return value.isMissingNode() ? c.emit(type) : c.emit(type, value);
        }

        /** jipc server emit of this value. */
        CompletionStage<Void> emitFrom(IpcSocket s, String type) {
            return value.isMissingNode() ? s.emit(type) : s.emit(type, value);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final String CONTROLS = "a\fb\u2028c\u2029d\u0000e";

    /** The scalar / structured cases (every one in one list, sent in this order). */
    static List<Case> payloads() {
        return List.of(
            same("unicode+emoji", F.stringNode("é😀中"), "\"é😀中\""),
            // \f and \u0000 are escaped by JSON.stringify, U+2028/U+2029 are written raw
            same("\\f U+2028 U+2029 \\u0000", F.stringNode(CONTROLS), "\"a\\fb\u2028c\u2029d\\u0000e\""),
            same("1e21", F.numberNode(1e21), "1e+21"),
            new Case("-0", F.numberNode(-0.0), "-0", "0", "0"),
            same("0.1", F.numberNode(0.1), "0.1"),
            same("2^53+1", F.numberNode(9007199254740993L), "9007199254740992"),
            same("number array", parse("[1e21,0.1,9007199254740993,1.5e-7,5e-324,-150,100]"),
                "[1e+21,0.1,9007199254740992,1.5e-7,5e-324,-150,100]"),
            same("integer-like keys", parse("{\"2\":1,\"b\":2,\"1\":3}"), "{\"1\":3,\"2\":1,\"b\":2}"),
            same("nested", parse("{\"a\":[1,[2,[3,{\"b\":null}]],{}],\"c\":{\"d\":{\"e\":[]}},\"t\":[true,false]}"),
                "{\"a\":[1,[2,[3,{\"b\":null}]],{}],\"c\":{\"d\":{\"e\":[]}},\"t\":[true,false]}"));
    }

    /** The "empty" payloads where the generations differ (and false/0, where they do not). */
    static List<Case> falsy() {
        return List.of(
            new Case("null", F.nullNode(), "null", "null", "{}"),
            new Case("\"\"", F.stringNode(""), null, "\"\"", "{}"),
            same("false", F.booleanNode(false), "false"),
            same("0", F.numberNode(0), "0"),
            new Case("undefined", MissingNode.getInstance(), "undefined", "{}", "{}"),
            new Case("NaN", F.numberNode(Double.NaN), "NaN", "null", "{}"));
    }

    /** Every case of {@link #payloads()} and {@link #falsy()}. */
    static List<Case> all() {
        List<Case> l = new ArrayList<>(payloads());
        l.addAll(falsy());
        return l;
    }

    /** A string of at least 1 MiB of UTF-8 that JSON.stringify writes without escapes. */
    static String mebibyteString() {
        String unit = "0123456789abcdefé😀\u2028 ";
        StringBuilder sb = new StringBuilder();
        while (sb.toString().getBytes(UTF_8).length < 1 << 20) {
            sb.append(unit.repeat(1024));
        }
        return sb.toString();
    }

    private static Case same(String name, JsonNode value, String json) {
        return new Case(name, value, null, json, json);
    }

    static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    /** One frame's text: {@code {"type":T,"data":D}\f}. */
    static String frame(String type, String dataJson) {
        return "{\"type\":\"" + type + "\",\"data\":" + dataJson + "}\f";
    }

    /** The profile of the same generation as {@code lib}. */
    static PayloadProfile profileOf(Lib lib) {
        return lib.legacy() ? PayloadProfile.LEGACY : PayloadProfile.MODERN;
    }

    /** The other profile. */
    static PayloadProfile otherProfile(Lib lib) {
        return lib.legacy() ? PayloadProfile.MODERN : PayloadProfile.LEGACY;
    }

    /** A jipc instance with {@code profile}, silent, retry 100 ms, sockets in {@code dir}. */
    static Ipc jipc(String id, PayloadProfile profile, Path dir) {
        return new Ipc(IpcConfig.builder(profile).id(id).socketRoot(dir + "/").silent(true).retry(100).build());
    }

    static NodePeer nodeClient(Lib lib, Path path, String... args) {
        NodePeer p = NodePeer.client(lib, Transport.UNIX, path.toString(), args);
        return started(p, "ready");
    }

    static NodePeer nodeEchoServer(Lib lib, Path path) {
        return started(NodePeer.server(lib, Transport.UNIX, path.toString(), "--echo"), "ready");
    }

    /** Waits for {@code event}; closes the peer if that fails. */
    static NodePeer started(NodePeer p, String event) {
        try {
            p.awaitEvent(event, T);
            return p;
        } catch (AssertionError | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** The {@code repr} of the next {@code n} messages a peer reports. */
    static List<String> reprs(NodePeer peer, int n) {
        return peer.awaitMessages(n, T).stream().map(m -> m.path("repr").asString()).toList();
    }

    static List<String> texts(List<Case> cases, java.util.function.Function<Case, String> f) {
        return cases.stream().map(f).toList();
    }

    static List<JsonNode> trees(List<String> jsonTexts) {
        return jsonTexts.stream().map(InteropCases::parse).toList();
    }

    /**
     * Asserts {@code actual} equals the JSON texts {@code expected}, as trees (number types included)
     * and as serialised text, which also pins object member order (integer-like keys first).
     */
    static void assertJson(List<JsonNode> actual, List<String> expected, String what) {
        List<JsonNode> want = trees(expected);
        org.assertj.core.api.Assertions.assertThat(actual).as(what).isEqualTo(want);
        org.assertj.core.api.Assertions.assertThat(actual.stream().map(JSON::writeValueAsString).toList())
            .as(what + " (member order)").isEqualTo(want.stream().map(JSON::writeValueAsString).toList());
    }

    static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception e) {
                    // best effort: the test outcome is what matters
                }
            }
        }
    }

    /** Thread-safe collector that tests wait on (handlers add on I/O threads). */
    static final class Inbox<T> implements Consumer<T> {
        private final List<T> items = new ArrayList<>();

        @Override
        public synchronized void accept(T item) {
            items.add(item);
            notifyAll();
        }

        synchronized List<T> snapshot() {
            return new ArrayList<>(items);
        }

        /** Waits until at least {@code n} items arrived; returns the first {@code n}. */
        synchronized List<T> await(int n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (items.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("got " + items.size() + " of " + n + " within " + timeout + "; last: "
                        + items.subList(Math.max(0, items.size() - 3), items.size()));
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
            return new ArrayList<>(items.subList(0, n));
        }

        /** Waits until an item equal to {@code item} arrived. */
        synchronized void awaitItem(T item, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!items.contains(item)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("no " + item + " within " + timeout + "; got " + items);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static void assertBytes(byte[] actual, byte[] expected, String what) {
        if (Arrays.equals(actual, expected)) {
            return;
        }
        int at = Arrays.mismatch(actual, expected);
        int from = Math.max(0, at - 60);
        throw new AssertionError(what + ": bytes differ at offset " + at + " (actual " + actual.length
            + " bytes, expected " + expected.length + ")\n  actual   …" + show(actual, from, at + 60)
            + "\n  expected …" + show(expected, from, at + 60));
    }

    private static String show(byte[] b, int from, int to) {
        int end = Math.min(b.length, to);
        return from >= end ? "(end)" : new String(b, from, end - from, UTF_8).replace("\f", "\\f");
    }
}
