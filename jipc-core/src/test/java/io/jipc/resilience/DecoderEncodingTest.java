package io.jipc.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.MessageDecoder;
import io.jipc.internal.codec.ProtocolErrorCode;
import io.jipc.internal.config.Defaults;
import io.netty.buffer.Unpooled;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Found by {@link DecoderFuzzTest} (Jazzer, within seconds of fuzzing): frames are UTF-8 on the wire, and
 * a Node peer decodes them as UTF-8 before {@code JSON.parse}; jipc's {@code MessageDecoder} checks that
 * the bytes are valid UTF-8 and then gives the <em>bytes</em> to Jackson, which auto-detects UTF-16 and
 * UTF-32 from zero bytes at the start. ASCII text interleaved with NUL bytes is valid UTF-8, so such a
 * frame passes the check and is then parsed as UTF-16/32.
 */
@Timeout(60)
class DecoderEncodingTest {
    private static final String JSON = "{\"type\":\"m\",\"data\":1}";

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"})
    void framesInOtherEncodingsAreRefusedLikeNodeRefusesThem(String charset) {
        byte[] frame = JSON.getBytes(Charset.forName(charset));
        Object decoded = MessageDecoder.decode(Unpooled.wrappedBuffer(frame), Defaults.jsonMapper());
        assertThat(decoded).isInstanceOfSatisfying(DecodeFailure.class,
            f -> assertThat(f.code()).isEqualTo(ProtocolErrorCode.ERR_IPC_INVALID_JSON));
    }

    @Test
    void failureMessagesDoNotDependOnWhereTheFrameSitsInItsBuffer() {
        byte[] frame = {0, 0, 0, '{', '"', 1, 2, 3, 4, 5, 6, 7, 8};
        byte[] padded = new byte[frame.length + 7];
        System.arraycopy(frame, 0, padded, 7, frame.length);
        Object atStart = MessageDecoder.decode(Unpooled.wrappedBuffer(frame), Defaults.jsonMapper());
        Object inside = MessageDecoder.decode(Unpooled.wrappedBuffer(padded, 7, frame.length), Defaults.jsonMapper());
        assertThat(inside).isEqualTo(atStart);
    }

    @Test
    void utf8FramesStillDecode() {
        Object decoded = MessageDecoder.decode(Unpooled.wrappedBuffer(JSON.getBytes(StandardCharsets.UTF_8)),
            Defaults.jsonMapper());
        assertThat(decoded).hasToString("WireMessage[type=m, data=1]");
    }
}
