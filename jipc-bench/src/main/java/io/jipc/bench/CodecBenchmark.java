package io.jipc.bench;

import io.jipc.internal.codec.FrameEncoder;
import io.jipc.internal.codec.MessageDecoder;
import io.jipc.internal.codec.RecordReader;
import io.jipc.internal.codec.RecordRoute;
import io.jipc.internal.codec.WireMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encode and decode of one framed message ({@code {"type":"message","data":{"seq":…,"pad":…}}\f}), and JSON
 * binding of its payload to a record. The same code jipc runs per emit / per received frame.
 * <pre>java -cp jipc-bench/target/benchmarks.jar org.openjdk.jmh.Main CodecBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    @Param({"100", "16384"})
    public int size;

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private FrameEncoder encoder;
    private Peers.Msg msg;
    private JsonNode tree;
    private ByteBuf frame;
    private JsonNode payload;
    private RecordReader reader;
    private RecordRoute.Table routes;

    @Setup
    public void setup() {
        encoder = new FrameEncoder(new byte[] {'\f'}, false, mapper);
        msg = new Peers.Msg(123456, Peers.pad(size));
        tree = mapper.valueToTree(msg);
        byte[] f = Peers.frame(size);
        frame = Unpooled.wrappedBuffer(f, 0, f.length - 1);   // the splitter hands the decoder the frame without '\f'
        payload = ((WireMessage) MessageDecoder.decode(frame, mapper)).data();
        reader = RecordReader.forType(Peers.Msg.class, mapper);
        if (reader == null || !msg.equals(reader.read(payload))) {
            throw new IllegalStateException("no record reader for Peers.Msg, or it reads another record");
        }
        RecordRoute route = new RecordRoute(reader) {
        };
        routes = type -> type.equals("message") ? route : null;
        if (!msg.equals(((WireMessage) decodeRecord()).record())) {
            throw new IllegalStateException("the frame's payload is not read straight into Peers.Msg");
        }
    }

    @TearDown
    public void tearDown() {
        frame.release();
    }

    /** emit(type, record): Jackson valueToTree + node-ipc-exact stringify + delimiter. */
    @Benchmark
    public int encodeRecord() {
        ByteBuf b = encoder.encode(alloc, "message", msg);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    /** emit(type, JsonNode): stringify only (what an echo server does). */
    @Benchmark
    public int encodeTree() {
        ByteBuf b = encoder.encode(alloc, "message", tree);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    /** One received frame to {type, data}: UTF-8 check + Jackson tree parse. */
    @Benchmark
    public Object decode() {
        return MessageDecoder.decode(frame, mapper);
    }

    /**
     * One received frame of a type whose handlers all take {@code Msg} (on(type, Msg.class, …) only): the payload is
     * read straight into the record, without a tree. Compare with decode + bindRecord.
     */
    @Benchmark
    public Object decodeRecord() {
        return MessageDecoder.decode(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes(),
            mapper, routes);
    }

    /** Binding the decoded tree to a record through Jackson (what on(type, Msg.class, …) does without a record reader). */
    @Benchmark
    public Peers.Msg bind() {
        return mapper.treeToValue(payload, Peers.Msg.class);
    }

    /** on(type, Msg.class, …) with a default mapper: the record reader calls the canonical constructor. */
    @Benchmark
    public Object bindRecord() {
        return reader.read(payload);
    }
}
